package io.sparkcnn.jobs.config;

import io.sparkcnn.workers.params.ParamChoice;

/** Where a job's images come from ({@code data.format}): IDX files, CIFAR batches, a folder tree or packed shards. */
public enum SourceFormat implements ParamChoice {
    IDX, CIFAR, FOLDER, SHARDS;

    @Override
    public String toString() {
        return word();
    }
}
