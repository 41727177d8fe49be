package io.sparkcnn.driver.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * Single files the driver reads or writes (a model.zip, a predictions CSV) named by a local path or by a URI on
 * any Hadoop file system: in YARN or Kubernetes cluster mode the driver's local disk is a container's, so the
 * user's files live on HDFS or S3.
 */
public final class DriverFiles {
    private DriverFiles() {}

    /** {@code location} as a local file: itself when local, else a temporary copy (removed when the JVM exits). */
    public static Path local(String location) {
        if (!RunDirectory.isRemote(location)) {
            return Path.of(location.regionMatches(true, 0, "file:", 0, 5) ? java.net.URI.create(location).getPath()
                    : location);
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
        try {
            Path copy = Files.createTempFile("spark-cnn-", "-" + path.getName());
            copy.toFile().deleteOnExit();
            try (InputStream in = fileSystem(path).open(path)) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(location + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** A new file at {@code location} (replacing one there), its folder created. */
    public static OutputStream create(String location) throws IOException {
        if (!RunDirectory.isRemote(location)) {
            Path file = local(location).toAbsolutePath();
            Files.createDirectories(file.getParent());
            return Files.newOutputStream(file);
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
        return fileSystem(path).create(path, true);
    }

    private static FileSystem fileSystem(org.apache.hadoop.fs.Path path) throws IOException {
        // Spark's way, so that spark.hadoop.* settings and S3 credentials in the environment apply here too.
        return path.getFileSystem(SparkHadoopUtil.get().newConfiguration(new SparkConf()));
    }
}
