package io.sparkcnn.jobs.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.folder.ClassIndex;
import io.sparkcnn.workers.data.folder.Split;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What {@code prepare} wrote into a shard folder ({@code manifest.json}): where the images came from, the classes,
 * the counts and Parquet shards of every split, the training set's per-channel mean and standard deviation, and
 * every file it left out and why. Readers trust the shards only as far as they match it.
 */
public record Manifest(int version, String sourceRoot, long seed, String created, double validationFraction,
                       double testFraction, int channels, int shorterSide, List<String> classes,
                       Map<String, SplitInfo> splits, List<Double> mean, List<Double> std, List<Rejected> rejected)
        implements Serializable {
    public static final String FILE = "manifest.json";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One split: its image count, the count of every class (in class order), and its shards in id order. */
    public record SplitInfo(long count, Map<String, Long> perClass, List<Shard> shards) implements Serializable {
        public SplitInfo {
            perClass = new LinkedHashMap<>(perClass);
            shards = List.copyOf(shards);
        }
    }

    /** One Parquet file, relative to the manifest's folder, and its number of rows. */
    public record Shard(String file, long rows) implements Serializable {}

    public Manifest {
        classes = List.copyOf(classes);
        splits = new LinkedHashMap<>(splits);
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        rejected = List.copyOf(rejected);
    }

    public ClassIndex classIndex() {
        return new ClassIndex(classes);
    }

    /** The split's entry; a split that prepare found no images for has count 0 and no shards. */
    public SplitInfo split(Split split) {
        return splits.getOrDefault(split.folder(), new SplitInfo(0, Map.of(), List.of()));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Manifest fromJson(String json, String source) {
        try {
            Manifest manifest = JSON.readValue(json, Manifest.class);
            if (manifest.version() != VERSION || manifest.classes().isEmpty()) {
                throw new DataException(source + ": not a version " + VERSION + " manifest with classes; write the"
                        + " shards again with this version's prepare.");
            }
            return manifest;
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new DataException(source + ": is not a valid shard manifest (" + e.getMessage() + ").", e);
        }
    }

    /** The manifest of the shard folder {@code dir} (any Hadoop file system). */
    public static Manifest read(String dir, Configuration hadoop) {
        Path file = new Path(dir, FILE);
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString());
        } catch (FileNotFoundException e) {
            throw new DataException(dir + ": has no " + FILE + "; is it a folder written by `spark-cnn prepare`?"
                    + " Point the data path at the folder prepare wrote.", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ").", e);
        }
    }
}
