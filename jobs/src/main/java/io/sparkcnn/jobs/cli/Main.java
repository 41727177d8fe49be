package io.sparkcnn.jobs.cli;

import io.sparkcnn.jobs.train.TrainJob;
import io.sparkcnn.driver.engine.DivergedException;
import io.sparkcnn.driver.output.RunDirectory;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.spark.SparkSettings;
import io.sparkcnn.workers.augment.AugmentRegistry;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.train.NativeBackend;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: {@code train} runs a job; the same main class serves local mode and spark-submit. */
@Command(name = "spark-cnn", mixinStandardHelpOptions = true, subcommands = {Main.Train.class, Main.Finetune.class, SummaryCommand.class,
        AugmentPreviewCommand.class, PrepareCommand.class, ExportImagesCommand.class, ReportCommand.class,
        ModelCommands.Predict.class, ModelCommands.Evaluate.class, ModelCommands.Visualize.class},
        description = "Distributed training of convolutional networks on Apache Spark.")
public final class Main {
    public static void main(String[] args) {
        NativeBackend.select();
        int code = commandLine().execute(args);
        // In YARN cluster mode this is the application master's user thread, and an exit there, even with 0, is
        // reported as a failure ("Shutdown hook called before final status was reported"): success returns.
        if (code != 0 || SparkSettings.yarnAttempt() == 0) {
            System.exit(code);
        }
    }

    public static CommandLine commandLine() {
        return reportingUserErrors(new CommandLine(new Main()));
    }

    /** A bad config, bad data or a diverged run ends with its message and exit code 2, not a stack trace. */
    public static CommandLine reportingUserErrors(CommandLine commandLine) {
        return commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
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
    static class Train implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "The job's config file.")
        File config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/NAME-TIME): a local"
                + " path or a Hadoop file system URI (hdfs://..., s3a://...).")
        String out;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master URL (default: local mode).")
        String master;

        @Option(names = "--resume", paramLabel = "DIR", description = "Continue the stopped run whose output"
                + " folder was DIR, from its last checkpoint (its saved config; --set may add epochs).")
        String resume;

        @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "bar: a progress"
                + " bar per epoch redrawn in place; lines: plain periodic lines (for logs); auto (default): bar when"
                + " the output is a terminal.")
        String progress;

        @Option(names = "--help-config", description = "List every config key with its default, what it accepts and its meaning,"
                + " and how --set values are quoted.")
        boolean helpConfig;

        @Option(names = "--help-augment", description = "List the preprocessing keys and every augmentation with"
                + " its keys, defaults and meaning.")
        boolean helpAugment;

        @Override
        public Integer call() {
            if (helpAugment) {
                System.out.print(AugmentRegistry.help());
                return 0;
            }
            if (helpConfig) {
                System.out.print(JobConfig.help());
                return 0;
            }
            ConsoleReporter reporter = ConsoleReporter.forStdout(progress);
            if (resume != null) {
                if (config != null) {
                    throw new ConfigError("--resume " + resume + " continues with the run's saved config; drop "
                            + config + " (use --set to change, e.g., training.epochs).");
                }
                TrainJob.resume(resume, overrides, master, reporter).run();
                return 0;
            }
            if (config == null) {
                throw new ConfigError(name() + ": missing CONFIG, for example conf/lenet5-fashion.conf.");
            }
            int attempt = SparkSettings.yarnAttempt();
            if (attempt > 1 && out != null && RunDirectory.hasCheckpoints(out)) {
                // YARN restarted the application master (spark.yarn.maxAppAttempts): same command line, so
                // continue the run that the previous attempt checkpointed instead of starting over.
                reporter.say("attempt %d of this YARN application: continuing the stopped run in %s from its last"
                        + " checkpoint", attempt, out);
                TrainJob.resume(out, allOverrides(), master, reporter).run();
                return 0;
            }
            JobConfig job = JobConfig.load(config, allOverrides());
            String dir = out != null ? out : RunDirectory.timestamped(Path.of("runs"), job.name()).toString();
            new TrainJob(job, dir, master, reporter).run();
            return 0;
        }

        String name() {
            return "train";
        }

        List<String> allOverrides() {
            return overrides;
        }
    }

    @Command(name = "finetune", mixinStandardHelpOptions = true,
            description = "Fine-tune a saved model on a job's data: a new output layer for the job's classes,"
                    + " the first N layers frozen (DL4J's transfer learning).")
    static final class Finetune extends Train {
        @Option(names = "--from", required = true, paramLabel = "MODEL", description = "A model.zip from an"
                + " earlier run.")
        String from;

        @Option(names = "--freeze", paramLabel = "N", description = "Freeze the first N layers (default 0).")
        int freeze;

        @Override
        String name() {
            return "finetune";
        }

        @Override
        List<String> allOverrides() {
            List<String> all = new ArrayList<>(overrides);
            all.add("model.finetune-from=" + from);
            all.add("model.freeze-layers=" + freeze);
            return all;
        }
    }
}
