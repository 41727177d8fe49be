package io.sparkcnn.jobs.cli;

import io.sparkcnn.jobs.prepare.PrepareJob;
import io.sparkcnn.jobs.prepare.PrepareOptions;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.source.BadDataPolicy;
import io.sparkcnn.workers.data.folder.SplitFractions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spark-cnn prepare}: the command line of {@link PrepareJob}. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Check an image folder tree (root/<class>/<image> or root/train|val|test/<class>/<image>) and"
                + " pack it into Parquet shards per split, with manifest.json: classes, counts, channel mean and"
                + " std of the training set, and every rejected file with its reason.")
public final class PrepareCommand implements Callable<Integer> {
    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The image folder tree (any"
            + " Hadoop file system: a local path, hdfs://, s3a://).")
    String root;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write; it must not"
            + " exist or be empty, and appears only when prepare succeeds (a local path, hdfs://, s3a://).")
    String out;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "8", description = "Parquet files per split"
            + " (default ${DEFAULT-VALUE}; fewer when a split has fewer images).")
    int shards;

    @Option(names = "--shorter-side", paramLabel = "S", defaultValue = "0", description = "Resize so the shorter"
            + " side is S pixels and store JPEG (quality 95); 0 keeps every file as it is (default).")
    int shorterSide;

    @Option(names = "--validation", paramLabel = "F", defaultValue = "0.1", description = "Share of every class"
            + " held out for validation when the tree has no val/ folder (default ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--test", paramLabel = "F", defaultValue = "0", description = "Share of every class held out"
            + " for testing when the tree has no test/ folder (default ${DEFAULT-VALUE}).")
    double test;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the held-out choice"
            + " (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bad-data", paramLabel = "skip|fail", defaultValue = "skip", description = "skip: leave bad"
            + " image files out and list them (default); fail: stop at any bad file.")
    String badData;

    @Option(names = "--max-bad-fraction", paramLabel = "F", defaultValue = "0.01", description = "With skip, stop"
            + " when more than this share of a split's files is bad (default ${DEFAULT-VALUE}).")
    double maxBadFraction;

    @Option(names = "--channels", paramLabel = "C", defaultValue = "3", description = "3 for RGB (default), 1 for"
            + " grey.")
    int channels;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master URL (default: local[2]).")
    String master;

    @Override
    public Integer call() {
        BadDataPolicy policy = new BadDataPolicy(BadDataPolicy.Mode.parse(badData), maxBadFraction);
        PrepareOptions options = new PrepareOptions(root, out, shards, shorterSide,
                new SplitFractions(validation, test, seed), policy, channels, master);
        new PrepareJob(options, new ConsoleReporter(System.out)).run();
        return 0;
    }
}
