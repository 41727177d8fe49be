package io.sparkcnn.jobs.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcnn.jobs.inference.SavedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A saved model's files under a Spark ML save folder on any Hadoop file system: {@value #MODEL}, the very file
 * {@code scripts/train} writes and {@code predict}/{@code evaluate} read ({@link SavedModel}), and
 * {@value #METRICS}, the run's metrics. DL4J and the zip file system need a local file, so remote ones are
 * copied through a temporary file.
 */
final class ModelFiles {
    static final String MODEL = "model.zip";
    static final String METRICS = "metrics.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {}

    static void write(SavedModel saved, Map<String, Object> metrics, String dir, Configuration hadoop) {
        Path target = new Path(dir, MODEL);
        java.nio.file.Path local = null;
        try {
            local = Files.createTempFile("spark-cnn-model", ".zip");
            Files.delete(local);
            SavedModel.write(saved.network(), saved.info(), local);
            FileSystem fs = target.getFileSystem(hadoop);
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), target);
            if (metrics != null) {
                try (OutputStream out = fs.create(new Path(dir, METRICS), true)) {
                    out.write(JSON.writeValueAsBytes(metrics));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model to " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(local);
        }
    }

    /** The model at {@code path}: a model.zip, or a folder holding one (a saved CnnClassificationModel). */
    static SavedModel read(String path, Configuration hadoop) {
        Path given = new Path(path);
        java.nio.file.Path local = null;
        try {
            FileSystem fs = given.getFileSystem(hadoop);
            Path file = fs.exists(given) && fs.getFileStatus(given).isDirectory() ? new Path(given, MODEL) : given;
            if (!fs.exists(file)) {
                throw new IllegalArgumentException(path + ": no " + (file == given ? "such model file" : MODEL
                        + " in this folder") + "; give the model.zip of a training run or a folder that"
                        + " CnnClassificationModel.save wrote.");
            }
            if ("file".equals(fs.getScheme())) {
                return SavedModel.read(java.nio.file.Path.of(fs.makeQualified(file).toUri()));
            }
            local = Files.createTempFile("spark-cnn-model", ".zip");
            fs.copyToLocalFile(false, file, new Path(local.toUri()), true);
            return SavedModel.read(local);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot be read (" + e.getMessage() + ")", e);
        } finally {
            deleteQuietly(local);
        }
    }

    /** The metrics saved beside the model, or null when there are none. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readMetrics(String dir, Configuration hadoop) {
        Path file = new Path(dir, METRICS);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return null;
            }
            try (InputStream in = fs.open(file)) {
                return JSON.readValue(in, Map.class);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temporary copy; the operating system's tmp cleaning takes it if this cannot.
            }
        }
    }
}
