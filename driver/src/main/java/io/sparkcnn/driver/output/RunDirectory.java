package io.sparkcnn.driver.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * A run's output folder, written all or nothing: files go to a staging folder next to it, which is renamed
 * to the final name only when the run has succeeded. A failed run leaves no half-written output behind.
 *
 * <p>The folder may be on any Hadoop file system ({@code hdfs://}, {@code s3a://}, ...): then the driver writes
 * into a local working copy, {@link #sync()} mirrors it to the remote staging folder (after every checkpoint, so
 * that another driver, such as YARN's second application attempt, can resume from there), and {@link #commit()}
 * renames the remote staging folder into place. Distributed writers (executors) write to {@link #uri} directly.
 */
public final class RunDirectory {
    private final String target;
    private final Path staging;
    private final Remote remote;

    private RunDirectory(String target, Path staging, Remote remote) {
        this.target = target;
        this.staging = staging;
        this.remote = remote;
    }

    /** The default output folder of a run: {@code parent/NAME-yyyyMMdd-HHmmss}, named when the run starts. */
    public static Path timestamped(Path parent, String name) {
        return parent.resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** True when {@code location} names a folder on a Hadoop file system other than the local one. */
    public static boolean isRemote(String location) {
        int colon = location.indexOf(':');
        // A one-letter scheme would be a Windows drive; "file:" is the local file system.
        return colon > 1 && location.substring(0, colon).matches("[a-zA-Z][a-zA-Z0-9+.-]*")
                && !location.regionMatches(true, 0, "file:", 0, 5);
    }

    /** Checks that {@code target} can be written, before any work starts. */
    public static RunDirectory prepare(Path target) {
        return prepare(target.toString());
    }

    /** As {@link #prepare(Path)}, for a local path or a Hadoop file system URI. */
    public static RunDirectory prepare(String target) {
        if (isRemote(target)) {
            return Remote.prepare(target);
        }
        Path absolute = local(target);
        try {
            if (Files.exists(absolute)) {
                boolean empty;
                try (Stream<Path> entries = Files.list(absolute)) {
                    empty = entries.findAny().isEmpty();
                }
                if (!empty) {
                    throw new IllegalArgumentException("output folder " + absolute + " exists and is not empty;"
                            + " pass another --out or remove it.");
                }
            }
            Path parent = absolute.getParent();
            Files.createDirectories(parent);
            if (!Files.isWritable(parent)) {
                throw new IllegalArgumentException("cannot write in " + parent + "; pass another --out.");
            }
            Path staging = stagingOf(absolute);
            if (Files.isDirectory(staging.resolve("checkpoints"))) {
                throw new IllegalArgumentException("output folder " + absolute + " belongs to a stopped run with"
                        + " checkpoints in " + staging + "; continue it with --resume " + target
                        + ", or remove that folder to start over.");
            }
            deleteRecursively(staging);
            Files.createDirectories(staging);
            return new RunDirectory(absolute.toString(), staging, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output folder " + absolute + ": " + e.getMessage(), e);
        }
    }

    /**
     * The staging folder of a stopped run whose output was to be {@code target}, kept because it holds
     * checkpoints; the resumed run writes on into it and commits it as usual.
     */
    public static RunDirectory resume(Path target) {
        return resume(target.toString());
    }

    /** As {@link #resume(Path)}, for a local path or a Hadoop file system URI. */
    public static RunDirectory resume(String target) {
        if (isRemote(target)) {
            return Remote.resume(target);
        }
        Path absolute = local(target);
        Path staging = stagingOf(absolute);
        if (!Files.isDirectory(staging)) {
            throw new IllegalArgumentException("--resume " + target + ": no stopped run there (expected its"
                    + " staging folder " + staging + ").");
        }
        if (Files.exists(absolute)) {
            throw new IllegalArgumentException("--resume " + target + ": that run already finished.");
        }
        return new RunDirectory(absolute.toString(), staging, null);
    }

    /** True when a stopped run bound for {@code target} left checkpoints to resume from. */
    public static boolean hasCheckpoints(String target) {
        if (isRemote(target)) {
            return Remote.hasCheckpoints(target);
        }
        Path checkpoints = stagingOf(local(target)).resolve("checkpoints");
        try (Stream<Path> files = Files.isDirectory(checkpoints) ? Files.list(checkpoints) : Stream.empty()) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + checkpoints + ": " + e.getMessage(), e);
        }
    }

    /** Where a run bound for {@code target} writes until it commits. */
    public static Path stagingOf(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        return absolute.getParent().resolve("." + absolute.getFileName() + ".incomplete");
    }

    /** Where the driver writes a file now; it appears under {@link #target()} at {@link #commit()}. */
    public Path file(String name) {
        return staging.resolve(name);
    }

    /**
     * Where executors write {@code name} now (a URI on the run's file system); it appears under {@link #target()}
     * at {@link #commit()}.
     */
    public String uri(String name) {
        return remote != null ? new org.apache.hadoop.fs.Path(remote.staging, name).toString()
                : staging.resolve(name).toUri().toString();
    }

    /** The final folder: a local path, or a URI on a Hadoop file system. */
    public String target() {
        return target;
    }

    /**
     * Makes what the driver wrote so far visible in the staging folder where another driver looks for it: a
     * no-op for a local folder; for a remote one, uploads new and changed files and deletes those dropped.
     */
    public void sync() {
        if (remote != null) {
            remote.mirror(staging);
        }
    }

    public void commit() {
        if (remote != null) {
            remote.commit(staging);
            deleteQuietly(staging);
            return;
        }
        Path finalPath = Path.of(target);
        try {
            Files.deleteIfExists(finalPath);
            try {
                Files.move(staging, finalPath, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, finalPath);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the finished run to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Drops the staging folder after a failure. */
    public void abandon() {
        if (remote != null) {
            remote.abandon();
        }
        deleteQuietly(staging);
    }

    private static Path local(String target) {
        String path = target.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(target)).toString() : target;
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException ignored) {
            // Best effort: the failure that brought us here (or the committed run) is what the user needs to see.
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The remote side of a run folder on a Hadoop file system: its staging folder and what was uploaded. */
    private static final class Remote {
        private final FileSystem fs;
        private final org.apache.hadoop.fs.Path target;
        private final org.apache.hadoop.fs.Path staging;
        /** Relative name -> the local size and modification time it was uploaded at. */
        private final Map<String, String> uploaded = new HashMap<>();

        private Remote(FileSystem fs, org.apache.hadoop.fs.Path target) {
            this.fs = fs;
            this.target = target;
            this.staging = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".incomplete");
        }

        private static Remote of(String location) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
            if (path.getParent() == null) {
                throw new IllegalArgumentException("output folder " + location + " is a file system's root;"
                        + " pass a folder inside it as --out.");
            }
            try {
                // Spark's way, so that spark.hadoop.* settings and S3 credentials in the environment apply here too.
                Configuration conf = SparkHadoopUtil.get().newConfiguration(new SparkConf());
                FileSystem fs = path.getFileSystem(conf);
                return new Remote(fs, fs.makeQualified(path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reach the file system of " + location + ": " + e.getMessage(), e);
            }
        }

        static RunDirectory prepare(String location) {
            Remote r = of(location);
            try {
                if (r.fs.exists(r.target) && r.fs.listStatus(r.target).length > 0) {
                    throw new IllegalArgumentException("output folder " + r.target + " exists and is not empty;"
                            + " pass another --out or remove it.");
                }
                if (r.fs.exists(new org.apache.hadoop.fs.Path(r.staging, "checkpoints"))) {
                    throw new IllegalArgumentException("output folder " + r.target + " belongs to a stopped run"
                            + " with checkpoints in " + r.staging + "; continue it with --resume " + location
                            + ", or remove that folder to start over.");
                }
                r.fs.delete(r.staging, true);
                if (!r.fs.mkdirs(r.staging)) {
                    throw new IllegalArgumentException("cannot create " + r.staging + "; pass another --out.");
                }
                return new RunDirectory(r.target.toString(), Files.createTempDirectory("spark-cnn-run-"), r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare output folder " + r.target + ": " + e.getMessage(), e);
            }
        }

        static RunDirectory resume(String location) {
            Remote r = of(location);
            try {
                if (!r.fs.isDirectory(r.staging)) {
                    throw new IllegalArgumentException("--resume " + location + ": no stopped run there (expected"
                            + " its staging folder " + r.staging + ").");
                }
                if (r.fs.exists(r.target)) {
                    throw new IllegalArgumentException("--resume " + location + ": that run already finished.");
                }
                Path local = Files.createTempDirectory("spark-cnn-run-");
                r.download(local);
                return new RunDirectory(r.target.toString(), local, r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the stopped run in " + r.staging + ": " + e.getMessage(), e);
            }
        }

        static boolean hasCheckpoints(String location) {
            Remote r = of(location);
            org.apache.hadoop.fs.Path checkpoints = new org.apache.hadoop.fs.Path(r.staging, "checkpoints");
            try {
                return r.fs.isDirectory(checkpoints) && r.fs.listStatus(checkpoints).length > 0;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + checkpoints + ": " + e.getMessage(), e);
            }
        }

        /** Copies the remote staging folder's files into {@code local}, remembering them as uploaded. */
        private void download(Path local) throws IOException {
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(staging, true);
            while (files.hasNext()) {
                FileStatus status = files.next();
                String name = staging.toUri().relativize(status.getPath().toUri()).getPath();
                Path file = local.resolve(name);
                Files.createDirectories(file.getParent());
                try (var in = fs.open(status.getPath())) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                uploaded.put(name, stamp(file));
            }
        }

        void mirror(Path local) {
            try {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(local)) {
                    files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".tmp"))
                            .toList();
                }
                Map<String, String> now = new HashMap<>();
                for (Path file : files) {
                    String name = local.relativize(file).toString().replace('\\', '/');
                    String stamp = stamp(file);
                    now.put(name, stamp);
                    if (!stamp.equals(uploaded.get(name))) {
                        upload(file, new org.apache.hadoop.fs.Path(staging, name));
                    }
                }
                for (String name : List.copyOf(uploaded.keySet())) {
                    if (!now.containsKey(name)) {
                        fs.delete(new org.apache.hadoop.fs.Path(staging, name), false);
                        uploaded.remove(name);
                    }
                }
                uploaded.putAll(now);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the run's files to " + staging + ": " + e.getMessage(), e);
            }
        }

        /** Under a temporary name, then renamed: a reader never sees half a checkpoint. */
        private void upload(Path file, org.apache.hadoop.fs.Path to) throws IOException {
            org.apache.hadoop.fs.Path tmp = to.suffix(".tmp");
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()), tmp);
            fs.delete(to, false);
            if (!fs.rename(tmp, to)) {
                throw new IOException("cannot rename " + tmp + " to " + to);
            }
        }

        void commit(Path local) {
            mirror(local);
            try {
                if (fs.exists(target)) {
                    fs.delete(target, false); // checked empty at prepare
                }
                if (!fs.rename(staging, target)) {
                    throw new IOException("the rename of " + staging + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the finished run to " + target + ": " + e.getMessage(), e);
            }
        }

        void abandon() {
            try {
                fs.delete(staging, true);
            } catch (IOException ignored) {
                // Best effort, as for a local folder.
            }
        }

        private static String stamp(Path file) throws IOException {
            return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        }
    }
}
