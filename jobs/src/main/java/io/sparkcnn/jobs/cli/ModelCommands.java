package io.sparkcnn.jobs.cli;

import io.sparkcnn.jobs.inference.EvaluateJob;
import io.sparkcnn.driver.output.RunDirectory;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.config.JobKeys;
import io.sparkcnn.jobs.source.SampleImages;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.jobs.inference.SavedModel;
import io.sparkcnn.jobs.report.RunReport;
import io.sparkcnn.jobs.inference.PredictJob;
import io.sparkcnn.jobs.inference.Visualizer;
import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.FolderEntry;
import io.sparkcnn.workers.data.folder.FolderScan;
import io.sparkcnn.workers.data.folder.FolderScanner;
import io.sparkcnn.workers.data.folder.Split;
import io.sparkcnn.workers.data.folder.SplitFractions;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.image.ImageDecoder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that use a saved model: {@code predict}, {@code evaluate} and {@code visualize}. */
public final class ModelCommands {
    private ModelCommands() {}

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Classify a folder of images (any nesting) or a folder of shards written by prepare with a"
                    + " saved model, on Spark; write a CSV: path, the top-k classes with probabilities, error.")
    static final class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "A run's model.zip"
                + " (a local path or a Hadoop file system URI).")
        String model;

        @Option(names = "--input", required = true, paramLabel = "DIR", description = "A folder of image files, or"
                + " a folder written by prepare (all its splits); any file:, hdfs: or s3a: path.")
        String input;

        @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "The CSV to write (a local"
                + " path or a Hadoop file system URI).")
        String out;

        @Option(names = "--top-k", paramLabel = "K", description = "Classes per image (default 5).")
        int topK = 5;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master URL (default: local mode).")
        String master;

        @Option(names = "--test-time-augment", paramLabel = "MODE", description = "Average each image's"
                + " probabilities over views of it: none (default), flip (the image and its mirror) or ten-crop"
                + " (4 corners and centre of the image enlarged by 256/224, and their mirrors); as the config key"
                + " data.test-time-augment.")
        String testTimeAugment = "none";

        @Override
        public Integer call() {
            TestTimeAugmentation tta = JobConfig.option("--test-time-augment", JobKeys.DATA_TEST_TIME_AUGMENT,
                    testTimeAugment);
            PredictJob.Result result = new PredictJob(model, input, out, topK, master,
                    new ConsoleReporter(System.out), tta).run();
            return result.classified() > 0 ? 0 : 1;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Evaluate a saved model on the test set of a job config (any data source), on Spark;"
                    + " write metrics.json as a training run does. --set data.test-time-augment=flip (or ten-crop)"
                    + " averages the softmax over views of every image.")
    static final class Evaluate implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "A run's model.zip.")
        Path model;

        @Parameters(index = "0", paramLabel = "CONFIG", description = "The job config whose test set to use.")
        File config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: evaluate-NAME-TIME"
                + " next to the model).")
        Path out;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master URL (default: local mode).")
        String master;

        @Override
        public Integer call() {
            JobConfig job = JobConfig.load(config, overrides);
            Path dir = out != null ? out
                    : RunDirectory.timestamped(model.toAbsolutePath().getParent(), "evaluate-" + job.name());
            new EvaluateJob(job, model, dir, master, new ConsoleReporter(System.out)).run();
            return 0;
        }
    }

    @Command(name = "visualize", mixinStandardHelpOptions = true,
            description = "Draw a saved model's first-layer filters and, for one image, the feature maps of every"
                    + " convolutional layer, as PNGs.")
    static final class Visualize implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "A run's model.zip.")
        Path model;

        @Option(names = "--image", paramLabel = "FILE", description = "An image file to show the feature maps of.")
        Path image;

        @Option(names = "--index", paramLabel = "N", description = "... or the N-th test image (from 0) of CONFIG.")
        Integer index;

        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "The job config for --index.")
        File config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: visualize/ next to the"
                + " model, where the run report finds it).")
        Path out;

        @Override
        public Integer call() {
            if (image != null && index != null) {
                throw new ConfigError("give --image or --index, not both.");
            }
            if (index != null && config == null) {
                throw new ConfigError("--index " + index + " picks a test image of a job: give its CONFIG too.");
            }
            SavedModel saved = SavedModel.read(model);
            Path dir = out != null ? out : model.toAbsolutePath().getParent().resolve("visualize");
            SampleImages.Sample shown = image != null
                    ? new SampleImages.Sample(ImageDecoder.decode(readLocal(image), image.toString(),
                            saved.info().channels()), image.toString())
                    : index != null ? SampleImages.test(JobConfig.load(config, overrides), index, "visualize --index")
                    : null;
            ConsoleReporter reporter = new ConsoleReporter(System.out);
            new Visualizer(saved, dir, reporter).write(shown);
            // In a run folder, the report links what is under visualize/: draw it again to show the new pictures.
            Path runDir = dir.toAbsolutePath().getParent();
            if (dir.getFileName().toString().equals("visualize") && Files.isRegularFile(runDir.resolve("metrics.json"))) {
                reporter.say("updated %s", RunReport.write(runDir));
            }
            return 0;
        }

        private static byte[] readLocal(Path file) {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("--image " + file + ": cannot be read (" + e.getMessage() + ")", e);
            }
        }
    }
}
