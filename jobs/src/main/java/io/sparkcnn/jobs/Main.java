package io.sparkcnn.jobs;

import io.sparkcnn.driver.engine.DivergedException;
import io.sparkcnn.driver.report.ConsoleReporter;
import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.config.Param;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.train.NativeBackend;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: {@code train} runs a job; the same main class serves local mode and spark-submit. */
@Command(name = "spark-cnn", mixinStandardHelpOptions = true, subcommands = {Main.Train.class, Baseline.class, BenchReport.class},
        description = "Distributed training of convolutional networks on Apache Spark.")
public final class Main {
    public static void main(String[] args) {
        NativeBackend.select();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigError || e instanceof DataException || e instanceof IllegalArgumentException
                    || e instanceof DivergedException || e instanceof UncheckedIOException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a job (local mode by default) and write model.zip and metrics.json.")
    static final class Train implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "The job's config file.")
        File config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/NAME-TIME).")
        Path out;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master URL (default: local mode).")
        String master;

        @Option(names = "--help-config", description = "List every config key with its default and meaning.")
        boolean helpConfig;

        @Override
        public Integer call() {
            if (helpConfig) {
                for (Param p : JobConfig.PARAMS) {
                    System.out.printf("%-32s %-12s %s%n", p.key(), p.fallback(), p.doc());
                }
                return 0;
            }
            if (config == null) {
                throw new ConfigError("train: missing CONFIG, for example conf/lenet5-fashion.conf.");
            }
            JobConfig job = JobConfig.load(config, overrides);
            Path dir = out != null ? out : Path.of("runs", job.name() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            new TrainJob(job, dir, master, new ConsoleReporter(System.out)).run();
            return 0;
        }
    }
}
