package io.sparkcnn.jobs.source;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.ClassIndex;
import io.sparkcnn.workers.data.folder.Split;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A folder written by {@code prepare} as RDDs of encoded images: one partition per Parquet shard, read on the
 * executors in the manifest's order, so that ids 0..n-1 follow the shards (and within them the source paths)
 * without a shuffle or a counting job. Opening checks the shards against the manifest before any job runs.
 */
public final class ShardSource {
    private final String dir;
    private final Manifest manifest;

    private ShardSource(String dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /** Reads {@code dir}'s manifest and checks that every split folder holds exactly the shards it lists. */
    public static ShardSource open(String dir, Configuration hadoop) {
        Manifest manifest = Manifest.read(dir, hadoop);
        for (Map.Entry<String, Manifest.SplitInfo> split : manifest.splits().entrySet()) {
            checkShards(dir, split.getKey(), split.getValue(), hadoop);
        }
        return new ShardSource(dir, manifest);
    }

    public Manifest manifest() {
        return manifest;
    }

    public ClassIndex classes() {
        return manifest.classIndex();
    }

    public long count(Split split) {
        return manifest.split(split).count();
    }

    /** The images of {@code split}, ids 0..n-1 in shard order, persisted at {@link RecordStorage#LEVEL}. */
    public JavaRDD<LabeledImage> read(JavaSparkContext sc, Split split) {
        List<ShardRef> refs = new ArrayList<>();
        long first = 0;
        for (Manifest.Shard shard : manifest.split(split).shards()) {
            refs.add(new ShardRef(new Path(dir, shard.file()).toString(), first, shard.rows(), classes().size()));
            first += shard.rows();
        }
        Broadcast<SerializableConfiguration> hadoop =
                sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        return placed(sc, refs)
                .flatMap(ref -> ref.read(hadoop.value().value()))
                .setName(split.folder() + " shards of " + dir)
                .persist(RecordStorage.LEVEL);
    }

    /**
     * One partition per shard, each preferring the hosts that store its blocks (HDFS block locality), so that
     * on a cluster a shard is read where it lies. A local file system has no hosts worth preferring.
     */
    private static JavaRDD<ShardRef> placed(JavaSparkContext sc, List<ShardRef> refs) {
        if (refs.isEmpty()) {
            return sc.parallelize(refs, 1);
        }
        List<scala.Tuple2<ShardRef, scala.collection.Seq<String>>> withHosts = new ArrayList<>();
        try {
            for (ShardRef ref : refs) {
                Path file = new Path(ref.file());
                FileSystem fs = file.getFileSystem(sc.hadoopConfiguration());
                if ("file".equals(fs.getScheme())) {
                    return sc.parallelize(refs, refs.size());
                }
                withHosts.add(new scala.Tuple2<>(ref, scala.collection.JavaConverters.asScalaBuffer(
                        hostsByBytes(fs, fs.getFileStatus(file))).toSeq()));
            }
        } catch (IOException e) {
            throw new DataException("cannot locate the shards of " + refs.get(0).file() + "'s folder ("
                    + e.getMessage() + "); check that the shard folder is readable.", e);
        }
        return sc.sc().makeRDD(scala.collection.JavaConverters.asScalaBuffer(withHosts).toSeq(),
                scala.reflect.ClassTag$.MODULE$.apply(ShardRef.class)).toJavaRDD();
    }

    /** The hosts holding a file's blocks, those holding the most of its bytes first. */
    private static List<String> hostsByBytes(FileSystem fs, FileStatus status) throws IOException {
        java.util.Map<String, Long> bytes = new java.util.HashMap<>();
        for (org.apache.hadoop.fs.BlockLocation block : fs.getFileBlockLocations(status, 0, status.getLen())) {
            for (String host : block.getHosts()) {
                bytes.merge(host, block.getLength(), Long::sum);
            }
        }
        return bytes.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .map(java.util.Map.Entry::getKey).toList();
    }

    private static void checkShards(String dir, String split, Manifest.SplitInfo info, Configuration hadoop) {
        long rows = info.shards().stream().mapToLong(Manifest.Shard::rows).sum();
        if (rows != info.count()) {
            throw new DataException(dir + ": the manifest's " + split + " shards hold " + rows + " rows but it counts "
                    + info.count() + " images; the manifest is damaged, run prepare again.");
        }
        Set<String> listed = info.shards().stream().map(Manifest.Shard::file).collect(Collectors.toCollection(TreeSet::new));
        Set<String> found = new TreeSet<>();
        Path folder = new Path(dir, split);
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            if (fs.exists(folder)) {
                for (FileStatus status : fs.listStatus(folder, p -> p.getName().endsWith(".parquet"))) {
                    found.add(split + "/" + status.getPath().getName());
                }
            }
        } catch (IOException e) {
            throw new DataException(folder + ": cannot be listed (" + e.getMessage() + ").", e);
        }
        if (!listed.equals(found)) {
            Set<String> missing = new TreeSet<>(listed);
            missing.removeAll(found);
            Set<String> extra = new TreeSet<>(found);
            extra.removeAll(listed);
            throw new DataException(dir + ": the " + split + " shards do not match " + Manifest.FILE
                    + (missing.isEmpty() ? "" : "; missing: " + missing) + (extra.isEmpty() ? "" : "; not in it: " + extra)
                    + ". Copy the whole folder prepare wrote, or run prepare again.");
        }
    }

    private static DataException damaged(String file, Exception e) {
        return new DataException(file + ": cannot be read as a shard (" + e
                + "); the file is damaged or was cut short: copy the prepared folder again or run prepare again.", e);
    }

    /** One shard as a task: its file, the id of its first row, and the rows the manifest promises. */
    record ShardRef(String file, long firstId, long rows, int classes) implements Serializable {
        Iterator<LabeledImage> read(Configuration hadoop) throws IOException {
            ParquetReader<Group> reader;
            try {
                reader = ParquetReader.builder(new GroupReadSupport(), new Path(file)).withConf(hadoop).build();
            } catch (FileNotFoundException e) {
                throw new DataException(file + ": the shard is missing; copy the whole prepared folder.", e);
            } catch (IOException | RuntimeException e) {
                throw damaged(file, e);
            }
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((TaskCompletionListener) done -> close(reader));
            }
            return new Rows(this, reader);
        }

        private static void close(ParquetReader<Group> reader) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // The rows are all read or the task failed already; nothing left to save.
            }
        }
    }

    /** The rows of one shard, read lazily so that a large shard never sits in memory twice. */
    private static final class Rows implements Iterator<LabeledImage> {
        private final ShardRef shard;
        private final ParquetReader<Group> reader;
        private Group next;
        private long read;

        Rows(ShardRef shard, ParquetReader<Group> reader) {
            this.shard = shard;
            this.reader = reader;
            advance();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public LabeledImage next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Group row = next;
            long id = shard.firstId() + read++;
            advance();
            int label = row.getInteger("label", 0);
            String path = row.getString("path", 0);
            if (label < 0 || label >= shard.classes()) {
                throw new DataException(shard.file() + ": " + path + " has label " + label + " but the manifest names "
                        + shard.classes() + " classes; the shards do not match the manifest.");
            }
            return new LabeledImage(id, label, row.getBinary("image", 0).getBytes(), path);
        }

        private void advance() {
            try {
                next = reader.read();
            } catch (IOException | RuntimeException e) {
                // Parquet reports a damaged file with assorted runtime exceptions that do not name it.
                throw damaged(shard.file(), e);
            }
            long seen = read + (next != null ? 1 : 0);
            if (seen > shard.rows() || (next == null && read != shard.rows())) {
                throw new DataException(shard.file() + ": holds " + (next == null ? read : "more than " + shard.rows())
                        + " rows but the manifest lists " + shard.rows() + "; the shards do not match the manifest,"
                        + " run prepare again.");
            }
            if (next == null) {
                ShardRef.close(reader);
            }
        }
    }
}
