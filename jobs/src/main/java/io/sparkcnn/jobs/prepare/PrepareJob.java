package io.sparkcnn.jobs.prepare;

import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.output.RunDirectory;
import io.sparkcnn.jobs.source.FolderSource;
import io.sparkcnn.jobs.source.ImageCheck;
import io.sparkcnn.jobs.source.Manifest;
import io.sparkcnn.jobs.source.RecordStorage;
import io.sparkcnn.jobs.source.Rejected;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.folder.ClassIndex;
import io.sparkcnn.workers.data.folder.FolderEntry;
import io.sparkcnn.workers.data.folder.FolderScan;
import io.sparkcnn.workers.data.folder.FolderScanner;
import io.sparkcnn.workers.data.folder.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import io.sparkcnn.jobs.spark.SparkSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Packs an image folder tree into Parquet shards with a manifest: one Spark pass per split decodes every image
 * once (rejecting bad files, measuring the training set's channel statistics, resizing on request), then
 * writes the good ones as shards; the output folder appears only when everything succeeded.
 */
public final class PrepareJob {
    /** How often the progress bar prints a line while a stage runs. */
    private static final double PROGRESS_SECONDS = 5;
    /** How many rejected files the console lists; the manifest lists them all. */
    private static final int REJECTS_SHOWN = 10;

    private final PrepareOptions options;
    private final ConsoleReporter reporter;

    public PrepareJob(PrepareOptions options, ConsoleReporter reporter) {
        this.options = options;
        this.reporter = reporter;
    }

    /** Runs in a Spark session of its own (local[2] unless --master or spark-submit says otherwise). */
    public Manifest run() {
        RunDirectory.prepare(options.out()).abandon(); // refuse a bad --out before Spark starts
        try (SparkSession spark = SparkSession.builder().config(sparkConf(options.master())).getOrCreate()) {
            spark.sparkContext().setLogLevel("WARN");
            return run(spark);
        }
    }

    /** Runs in {@code spark}, which stays open. */
    public Manifest run(SparkSession spark) {
        long began = System.nanoTime();
        RunDirectory dir = RunDirectory.prepare(options.out());
        StageProgress progress = new StageProgress(reporter, PROGRESS_SECONDS);
        spark.sparkContext().addSparkListener(progress);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            // Qualified, so that the manifest says where the images came from wherever it is read.
            String root = FolderSource.qualified(options.root(), sc.hadoopConfiguration());
            FolderScan scan = FolderScanner.scan(root, sc.hadoopConfiguration(), options.fractions());
            reporter.say("%s: %d classes; %,d train, %,d val and %,d test files", scan.root(), scan.classes().size(),
                    scan.entries(Split.TRAIN).size(), scan.entries(Split.VAL).size(), scan.entries(Split.TEST).size());
            if (scan.entries(Split.TRAIN).isEmpty()) {
                throw new DataException(options.root() + ": holds no training images; nothing to prepare.");
            }
            List<Rejected> rejected = new ArrayList<>(FolderSource.notices(scan));
            rejected.forEach(r -> reporter.say("note: %s: %s", r.path(), r.detail()));
            ImagePacker packer = new ImagePacker(new ImageCheck(options.channels(), 0), options.shorterSide(),
                    scan.classes());
            ShardWriter writer = new ShardWriter(spark, options.shards());
            Map<String, Manifest.SplitInfo> splits = new LinkedHashMap<>();
            ChannelStats trainStats = null;
            for (Split split : Split.values()) {
                SplitResult result = prepareSplit(sc, scan, split, packer, writer,
                        new Path(dir.uri(split.folder())));
                splits.put(split.folder(), result.info());
                rejected.addAll(result.bad());
                if (split == Split.TRAIN) {
                    trainStats = result.stats();
                }
            }
            rejected.sort(Comparator.comparing(Rejected::path));
            Manifest manifest = new Manifest(Manifest.VERSION, scan.root(), options.fractions().seed(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), options.fractions().validation(),
                    options.fractions().test(), options.channels(), options.shorterSide(), scan.classes().names(),
                    splits, trainStats.means(), trainStats.stds(), rejected);
            Files.writeString(dir.file(Manifest.FILE), manifest.toJson());
            dir.commit();
            double seconds = (System.nanoTime() - began) / 1e9;
            reporter.say("wrote %s in %s (%,.0f files/s): %,d train, %,d val, %,d test images; %d file(s) rejected"
                            + " or noted (see %s); mean %s, std %s", dir.target(), ConsoleReporter.duration(seconds),
                    scan.entries().size() / seconds, manifest.split(Split.TRAIN).count(),
                    manifest.split(Split.VAL).count(), manifest.split(Split.TEST).count(), rejected.size(),
                    Manifest.FILE, rounded(manifest.mean()), rounded(manifest.std()));
            return manifest;
        } catch (IOException e) {
            dir.abandon();
            throw new UncheckedIOException("cannot write " + dir.target() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            dir.abandon();
            throw e;
        } finally {
            spark.sparkContext().removeSparkListener(progress);
        }
    }

    /** One split: the decode pass, the policy check, the shards. */
    private SplitResult prepareSplit(JavaSparkContext sc, FolderScan scan, Split split, ImagePacker packer,
                                     ShardWriter writer, Path folder) {
        List<FolderEntry> entries = scan.entries(split);
        List<Rejected> emptyFiles = FolderSource.emptyFiles(scan, split, sc.hadoopConfiguration());
        ClassIndex classes = scan.classes();
        if (entries.isEmpty()) {
            options.badData().enforce(split.folder(), emptyFiles, emptyFiles.size());
            return new SplitResult(info(classes, new long[classes.size()], List.of()), emptyFiles,
                    ChannelStats.empty(options.channels()));
        }
        // Kept: the tally decodes every image once, and the writer then reads the packed rows from here (on disk,
        // as a run keeps its records, see RecordStorage: a tree larger than memory needs no second decode either).
        JavaRDD<Packed> packed = FolderSource.read(sc, entries, StorageLevel.NONE()).map(packer::pack)
                .setName(split.folder() + " packed").persist(RecordStorage.LEVEL);
        try {
            sc.setJobDescription("decoding the " + split.folder() + " images");
            int channels = options.channels();
            SplitTally tally = packed.mapPartitions(part -> List.of(SplitTally.of(part, classes.size(), channels))
                    .iterator()).reduce(SplitTally::merge);
            List<Rejected> bad = new ArrayList<>(tally.bad());
            bad.addAll(emptyFiles);
            bad.sort(Comparator.comparing(Rejected::path));
            options.badData().enforce(split.folder(), bad, tally.examined() + emptyFiles.size());
            reportRejects(split, bad);
            List<Manifest.Shard> shards = List.of();
            if (tally.good() > 0) {
                sc.setJobDescription("writing the " + split.folder() + " shards");
                long[] badIds = tally.badIds().stream().mapToLong(Long::longValue).sorted().toArray();
                shards = writer.write(packed, badIds, tally.good(), folder, split.folder());
            }
            return new SplitResult(info(classes, tally.perClass(), shards), bad, tally.stats());
        } finally {
            sc.setJobDescription(null);
            packed.unpersist(false);
        }
    }

    private void reportRejects(Split split, List<Rejected> bad) {
        if (bad.isEmpty()) {
            return;
        }
        reporter.say("%s: skipped %d bad file(s):", split.folder(), bad.size());
        bad.stream().limit(REJECTS_SHOWN).forEach(r -> reporter.say("  %s: %s", r.path(), r.reason()));
        if (bad.size() > REJECTS_SHOWN) {
            reporter.say("  ... and %d more, all listed in %s", bad.size() - REJECTS_SHOWN, Manifest.FILE);
        }
    }

    private static Manifest.SplitInfo info(ClassIndex classes, long[] perClass, List<Manifest.Shard> shards) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (int label = 0; label < classes.size(); label++) {
            counts.put(classes.name(label), perClass[label]);
            total += perClass[label];
        }
        return new Manifest.SplitInfo(total, counts, shards);
    }

    private static List<Double> rounded(List<Double> values) {
        return values.stream().map(v -> Math.round(v * 100) / 100.0).toList();
    }

    /** Spark's settings for prepare: local[2] unless told otherwise, our progress bar instead of Spark's. */
    public static SparkConf sparkConf(String masterOverride) {
        SparkConf conf = SparkSettings.forCommand("spark-cnn prepare", masterOverride, "local[2]");
        // Only the shards and the manifest belong in the output folder.
        conf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
        return conf;
    }

    private record SplitResult(Manifest.SplitInfo info, List<Rejected> bad, ChannelStats stats) {}
}
