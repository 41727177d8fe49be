package io.sparkcnn.jobs.models;

import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.data.ImageShape;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** Builds the network a job names, for the job's input shape and classes, with the job's optimiser. */
public final class Architectures {
    private Architectures() {}

    public static MultiLayerConfiguration build(JobConfig job, ImageShape input) {
        IUpdater updater = updater(job);
        return switch (job.architecture()) {
            case "lenet5" -> LeNet5.configuration(input, job.classes(), updater, job.seed());
            default -> throw new IllegalArgumentException("model.architecture: unknown '" + job.architecture() + "'");
        };
    }

    static IUpdater updater(JobConfig job) {
        return switch (job.updater()) {
            case "sgd" -> new Sgd(job.learningRate());
            case "nesterov" -> new Nesterovs(job.learningRate(), job.momentum());
            case "adam" -> new Adam(job.learningRate());
            default -> throw new IllegalArgumentException("training.updater: unknown '" + job.updater() + "'");
        };
    }
}
