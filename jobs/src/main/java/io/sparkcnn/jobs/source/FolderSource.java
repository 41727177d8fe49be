package io.sparkcnn.jobs.source;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.FolderEntry;
import io.sparkcnn.workers.data.folder.FolderScan;
import io.sparkcnn.workers.data.folder.ScanProblem;
import io.sparkcnn.workers.data.folder.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A scanned image folder as an RDD of encoded images: only the paths leave the driver, the executors read the
 * files through Hadoop's FileSystem API. {@link #validate} then decodes every record once and splits the good
 * from the bad, so that training never sees a bad file and every rejected one is reported.
 */
public final class FolderSource {
    /** Slices of about this many bytes of files, so a task reads tens of MB, not one file or one class. */
    static final long SLICE_BYTES = 32L << 20;
    /** ... and at most about this many files, for folders of many tiny images. */
    static final int SLICE_FILES = 2048;

    private FolderSource() {}

    /** The images of {@code split}, ids 0..n-1 in the scan's order, persisted at {@link RecordStorage#LEVEL}. */
    public static JavaRDD<LabeledImage> read(JavaSparkContext sc, FolderScan scan, Split split) {
        return read(sc, scan.entries(split), RecordStorage.LEVEL);
    }

    /** The files of {@code entries} with ids 0..n-1 in list order, persisted at {@code level} unless NONE. */
    public static JavaRDD<LabeledImage> read(JavaSparkContext sc, List<FolderEntry> entries, StorageLevel level) {
        List<FileRef> refs = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            refs.add(new FileRef(i, entries.get(i).path(), entries.get(i).label()));
        }
        Broadcast<SerializableConfiguration> hadoop =
                sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        JavaRDD<LabeledImage> images = sc.parallelize(refs, slices(sc.defaultParallelism(), entries))
                .map(ref -> ref.read(hadoop.value().value()))
                .setName("image files (" + entries.size() + ")");
        return level.equals(StorageLevel.NONE()) ? images : images.persist(level);
    }

    /**
     * Decodes every record of {@code records} (ids 0..n-1, as {@link #read} numbers them) once on the executors
     * and keeps those that pass {@code check}, renumbered 0..count-1 in order; the good RDD is derived from
     * {@code records} without decoding again, so keep {@code records} persisted while using it. The bad ones
     * (including the scan's zero-byte files of this split) come back to the driver, and {@code policy} decides
     * whether the run may go on.
     */
    public static Validated validate(FolderScan scan, Split split, JavaRDD<LabeledImage> records, ImageCheck check,
                                     BadDataPolicy policy) {
        records.context().setJobDescription("checking the " + split.folder() + " images");
        Tally tally = records.aggregate(Tally.NONE, (t, record) -> t.plus(record, check), Tally::merge);
        records.context().setJobDescription(null);
        long[] badIds = tally.bad().stream().mapToLong(Bad::id).sorted().toArray();
        List<Rejected> emptyFiles = emptyFiles(scan, split, records.context().hadoopConfiguration());
        List<Rejected> badFiles = new ArrayList<>(emptyFiles);
        tally.bad().forEach(b -> badFiles.add(b.why()));
        badFiles.sort(Comparator.comparing(Rejected::path));
        policy.enforce(split.folder(), badFiles, tally.examined() + emptyFiles.size());

        Broadcast<long[]> gone = JavaSparkContext.fromSparkContext(records.context()).broadcast(badIds);
        // A good record's new id is its old one less the bad ids before it: no shuffle, no second decode.
        JavaRDD<LabeledImage> good = records
                .filter(r -> Arrays.binarySearch(gone.value(), r.id()) < 0)
                .map(r -> r.withId(r.id() + Arrays.binarySearch(gone.value(), r.id()) + 1));
        return new Validated(good, tally.examined() - badIds.length, badFiles, notices(scan));
    }

    /** The scan's remarks about the tree that are not bad image files: stray files, empty classes and the like. */
    public static List<Rejected> notices(FolderScan scan) {
        return scan.problems().stream().filter(p -> p.kind() != ScanProblem.Kind.EMPTY_FILE).map(Rejected::of)
                .toList();
    }

    /**
     * The zero-byte files the scan set aside that belong to {@code split}: bad image files like any other, but
     * found by their size. In a tree without split folders they count as training files. {@code hadoop} resolves
     * a relative root the way the scan did.
     */
    public static List<Rejected> emptyFiles(FolderScan scan, Split split, Configuration hadoop) {
        String root = pathPart(qualified(scan.root(), hadoop));
        boolean presplit = scan.entries().stream().anyMatch(e -> firstFolder(root, e.path()).equals("train"));
        return scan.problems().stream()
                .filter(p -> p.kind() == ScanProblem.Kind.EMPTY_FILE)
                .filter(p -> !presplit ? split == Split.TRAIN : firstFolder(root, p.path()).equals(split.folder()))
                .map(Rejected::of)
                .toList();
    }

    static int slices(int parallelism, List<FolderEntry> entries) {
        long bytes = entries.stream().mapToLong(FolderEntry::bytes).sum();
        long wanted = Math.max(parallelism, Math.max(ceilDiv(bytes, SLICE_BYTES), ceilDiv(entries.size(), SLICE_FILES)));
        return (int) Math.max(1, Math.min(entries.size(), wanted));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static String firstFolder(String root, String path) {
        String relative = pathPart(path).substring(Math.min(root.length() + 1, pathPart(path).length()));
        int slash = relative.indexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    /** {@code path} with scheme, authority and working folder, as the scan's listings return paths. */
    public static String qualified(String path, Configuration hadoop) {
        Path p = new Path(path);
        try {
            return p.getFileSystem(hadoop).makeQualified(p).toString();
        } catch (IOException e) {
            throw new DataException(path + ": no file system for it (" + e.getMessage() + ").", e);
        }
    }

    /** The path without scheme and authority, so that "/data" and "file:/data" compare equal. */
    private static String pathPart(String path) {
        return new Path(path).toUri().getPath();
    }

    /** What the driver ships per file: a few dozen bytes, so millions of files are no burden. */
    record FileRef(long id, String path, int label) implements Serializable {
        LabeledImage read(Configuration hadoop) {
            Path file = new Path(path);
            try (InputStream in = file.getFileSystem(hadoop).open(file)) {
                return new LabeledImage(id, label, in.readAllBytes(), path);
            } catch (IOException e) {
                // An I/O failure is not bad data: failing the task lets Spark retry it elsewhere.
                throw new DataException(path + ": cannot be read (" + e.getMessage() + "); check that it still"
                        + " exists and that the executors can reach it.", e);
            }
        }
    }

    /** A bad record by its id, so that the good ones can be renumbered around it. */
    record Bad(long id, Rejected why) implements Serializable {}

    /** The validation pass's running result: records examined and the bad ones among them. */
    record Tally(long examined, List<Bad> bad) implements Serializable {
        static final Tally NONE = new Tally(0, List.of());

        Tally plus(LabeledImage record, ImageCheck check) {
            List<Rejected> why = new ArrayList<>(1);
            check.decode(record, why::add);
            if (why.isEmpty()) {
                return new Tally(examined + 1, bad);
            }
            List<Bad> more = new ArrayList<>(bad);
            more.add(new Bad(record.id(), why.get(0)));
            return new Tally(examined + 1, more);
        }

        Tally merge(Tally other) {
            List<Bad> all = new ArrayList<>(bad);
            all.addAll(other.bad);
            return new Tally(examined + other.examined, all);
        }
    }
}
