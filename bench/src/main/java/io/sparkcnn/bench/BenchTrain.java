package io.sparkcnn.bench;

import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.train.TrainJob;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A row of this engine: the product's own training job, with the benchmark's {@link BenchListener} added to its
 * listeners (round costs, bytes moved, and the race to a test accuracy when {@link Race#fromEnvironment} sets one).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a job as scripts/train does, measuring the engine's round costs (and the race).")
final class BenchTrain implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The job's config file.")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master URL (default: local mode).")
    String master;

    @Override
    public Integer call() {
        ConsoleReporter reporter = ConsoleReporter.forStdout("lines");
        new TrainJob(JobConfig.load(config, overrides), out, master, reporter)
                .instrument(new BenchListener(Race.fromEnvironment(), reporter))
                .run();
        return 0;
    }
}
