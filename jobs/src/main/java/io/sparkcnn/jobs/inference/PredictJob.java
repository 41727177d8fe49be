package io.sparkcnn.jobs.inference;

import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.source.FolderSource;
import io.sparkcnn.jobs.source.Manifest;
import io.sparkcnn.jobs.source.ShardSource;
import io.sparkcnn.jobs.prepare.PrepareJob;
import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.FolderEntry;
import io.sparkcnn.workers.data.folder.Split;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeBackend;
import io.sparkcnn.workers.train.NetworkSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import io.sparkcnn.driver.output.DriverFiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code predict}: a saved model on a folder of image files (any nesting) or on the shards {@code prepare}
 * wrote, on Spark: the driver lists the files, the executors read, decode, preprocess and classify them, and
 * the driver writes one CSV row per file, sorted by path: the top-k classes with their probabilities, or why the
 * file could not be classified. With test-time augmentation the probabilities are the mean over each image's views.
 */
public final class PredictJob {
    static final int BATCH_SIZE = 64;
    private static final int LISTED = 20;

    private final String model;
    private final String input;
    private final String out;
    private final int topK;
    private final String master;
    private final ConsoleReporter reporter;
    private final TestTimeAugmentation tta;

    public PredictJob(Path model, String input, Path out, int topK, String master, ConsoleReporter reporter) {
        this(model.toString(), input, out.toString(), topK, master, reporter);
    }

    /** {@code model} and {@code out} may be local paths or URIs on a Hadoop file system, as {@code input}. */
    public PredictJob(String model, String input, String out, int topK, String master, ConsoleReporter reporter) {
        this(model, input, out, topK, master, reporter, TestTimeAugmentation.NONE);
    }

    /** As above, averaging each image's probabilities over the views {@code tta} makes of it. */
    public PredictJob(String model, String input, String out, int topK, String master, ConsoleReporter reporter,
                      TestTimeAugmentation tta) {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be at least 1, not " + topK);
        }
        this.model = model;
        this.input = input;
        this.out = out;
        this.topK = topK;
        this.master = master;
        this.reporter = reporter;
        this.tta = tta;
    }

    /** What the run did: images classified and the files that could not be (with their reasons). */
    public record Result(long classified, List<Prediction> failed) {}

    public Result run() {
        NativeBackend.select();
        SavedModel saved = SavedModel.read(DriverFiles.local(model));
        int k = Math.min(topK, saved.info().classNames().size());
        reporter.say("%s: %s trained on %s (%s), %d classes, input %s%s", model, saved.info().architecture(),
                saved.info().job(), saved.info().trainedOn(), saved.info().classNames().size(), saved.info().shape(),
                EvaluateJob.describe(tta));
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf("spark-cnn predict", master))) {
            sc.setLogLevel("WARN");
            JavaRDD<LabeledImage> images = images(sc, input);
            Broadcast<ModelState> state = sc.broadcast(ModelState.of(saved.network()));
            Predictor predictor = new Predictor(NetworkSpec.of(saved.network()), state, saved.info(), k, BATCH_SIZE,
                    tta);
            sc.setJobDescription("predicting " + input);
            // Kept, since sorting samples its input before it shuffles it: the images are classified once.
            JavaRDD<Prediction> predictions = images.mapPartitions(predictor::predict)
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            Result result = write(predictions.sortBy(Prediction::path, true, predictions.getNumPartitions())
                    .toLocalIterator(), k);
            predictions.unpersist(false);
            state.destroy(false);
            reporter.say("%,d image(s) classified, %,d file(s) could not be; wrote %s", result.classified(),
                    result.failed().size(), out);
            result.failed().stream().limit(LISTED).forEach(p -> reporter.say("  %s: %s", p.path(), p.error()));
            if (result.failed().size() > LISTED) {
                reporter.say("  ... and %d more (rows with an error in %s)", result.failed().size() - LISTED, out);
            }
            return result;
        }
    }

    private Result write(Iterator<Prediction> rows, int k) {
        long classified = 0;
        List<Prediction> failed = new ArrayList<>();
        try {
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(DriverFiles.create(out),
                    StandardCharsets.UTF_8))) {
                w.write(Prediction.header(k));
                w.newLine();
                while (rows.hasNext()) {
                    Prediction p = rows.next();
                    w.write(p.csv(k));
                    w.newLine();
                    if (p.ok()) {
                        classified++;
                    } else {
                        failed.add(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--out " + out + ": cannot be written (" + e.getMessage() + ")", e);
        }
        return new Result(classified, failed);
    }

    /**
     * The shards of a folder {@code prepare} wrote (all its splits), or else every file under {@code input}
     * (hidden ones aside), read on the executors; only the paths leave the driver.
     */
    static JavaRDD<LabeledImage> images(JavaSparkContext sc, String input) {
        Configuration hadoop = sc.hadoopConfiguration();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(input);
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            if (!fs.exists(root)) {
                throw new DataException("--input " + input + ": does not exist; give a folder of images or a folder"
                        + " written by prepare.");
            }
            if (fs.exists(new org.apache.hadoop.fs.Path(root, Manifest.FILE))) {
                ShardSource shards = ShardSource.open(input, hadoop);
                JavaRDD<LabeledImage> all = null;
                for (Split split : Split.values()) {
                    if (shards.count(split) > 0) {
                        JavaRDD<LabeledImage> part = shards.read(sc, split);
                        all = all == null ? part : all.union(part);
                    }
                }
                if (all == null) {
                    throw new DataException("--input " + input + ": its " + Manifest.FILE + " lists no images.");
                }
                return all;
            }
            List<FolderEntry> files = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> listing = fs.listFiles(root, true);
            while (listing.hasNext()) {
                LocatedFileStatus file = listing.next();
                if (!hidden(root, file.getPath())) {
                    files.add(new FolderEntry(file.getPath().toString(), 0, "", Split.TEST, file.getLen()));
                }
            }
            if (files.isEmpty()) {
                throw new DataException("--input " + input + ": holds no files.");
            }
            files.sort(java.util.Comparator.comparing(FolderEntry::path));
            return FolderSource.read(sc, files, StorageLevel.NONE());
        } catch (IOException e) {
            throw new DataException("--input " + input + ": cannot be listed (" + e.getMessage() + ").", e);
        }
    }

    /** Dot and underscore files and folders (.DS_Store, _SUCCESS, .git) are not images anyone meant to classify. */
    private static boolean hidden(org.apache.hadoop.fs.Path root, org.apache.hadoop.fs.Path file) {
        for (org.apache.hadoop.fs.Path p = file; p != null && !p.equals(root) && p.depth() > root.depth();
             p = p.getParent()) {
            if (p.getName().startsWith(".") || p.getName().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** Spark's settings for a job that only applies a model: prepare's (local mode unless --master), one thread a task. */
    static SparkConf sparkConf(String name, String master) {
        return PrepareJob.sparkConf(master).setAppName(name).set("spark.executorEnv.OMP_NUM_THREADS", "1");
    }
}
