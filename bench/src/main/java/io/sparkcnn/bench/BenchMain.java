package io.sparkcnn.bench;

import io.sparkcnn.jobs.cli.Main;
import io.sparkcnn.workers.train.NativeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The benchmark's command line (scripts/bench): its rows, its measurements and its report. */
@Command(name = "spark-cnn-bench", mixinStandardHelpOptions = true, subcommands = {BenchTrain.class,
        Baseline.class, GemmPeak.class, PipelineBench.class, SparkMlBench.class, JpegTree.class, ImageNetTree.class, BenchReport.class,
        Scaling.class},
        description = "The benchmark of spark-cnn against plain DL4J, stock dl4j-spark and DJL/PyTorch.")
public final class BenchMain {
    public static void main(String[] args) {
        NativeBackend.select();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return Main.reportingUserErrors(new CommandLine(new BenchMain()));
    }
}
