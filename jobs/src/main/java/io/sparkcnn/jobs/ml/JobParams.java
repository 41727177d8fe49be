package io.sparkcnn.jobs.ml;

import com.typesafe.config.ConfigValueFactory;
import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.config.JobKeys;
import io.sparkcnn.workers.params.Param;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one adapter between the job-config declarations ({@link JobKeys#ALL} and {@link JobConfig#load}) and
 * the Spark ML stages: which keys a DataFrame job has, their Spark ML names, and validation by handing the values
 * to the config loader as {@code --set} overrides. Nothing else in this package knows how keys are declared, so a
 * new declaration framework only changes this class.
 */
final class JobParams {
    /**
     * Keys that have no meaning for a DataFrame job: where the files are (the DataFrame is the data) and how an
     * embedded Spark is started (the user's session is already running).
     */
    static final Set<String> NOT_FOR_DATAFRAMES = Set.of("data.dir", "data.format", "data.train-images",
            "data.train-labels", "data.test-images", "data.test-labels", "data.cifar-dir", "data.cifar-labels",
            "data.root", "data.shards", "data.train-limit", "data.test-limit", "training.threads-per-worker",
            "spark.master");

    /** What the base config says about the data: a folder job, so that no file key is required. */
    private static final String BASE = "data.format = folder\ndata.root = \"(a DataFrame)\"\n";

    /** One job key as a Spark ML Param: its dotted key, its Param name, its value type, default and doc. */
    record Key(String key, String name, Class<?> type, Object fallback, String doc) {
        /** Lists and objects travel as HOCON text, for example {@code [{type = hflip}]} or {@code {height = 28}}. */
        boolean hocon() {
            return type == String.class && !(fallback instanceof String);
        }

        Object sparkDefault() {
            return hocon() ? render(fallback) : fallback;
        }
    }

    static final List<Key> KEYS = keys();

    private JobParams() {}

    private static List<Key> keys() {
        List<Key> keys = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Param<?> p : JobKeys.ALL.all()) {
            if (NOT_FOR_DATAFRAMES.contains(p.key())) {
                continue;
            }
            String name = paramName(p.key());
            String clash = names.put(name, p.key());
            if (clash != null) {
                throw new IllegalStateException("job keys " + clash + " and " + p.key() + " map to one Spark ML Param"
                        + " name '" + name + "'; change JobParams.paramName.");
            }
            // The default as a job file writes it: a choice as its word, a list or an object as such.
            Object fallback = p.defaultWritten();
            Class<?> type = fallback instanceof Integer ? Integer.class
                    : fallback instanceof Long ? Long.class
                    : fallback instanceof Double ? Double.class
                    : fallback instanceof Boolean ? Boolean.class : String.class;
            keys.add(new Key(p.key(), name, type, fallback, p.doc() + " (job key " + p.key() + ")"));
        }
        return List.copyOf(keys);
    }

    /**
     * The Spark ML name of a job key: Spark ML names cannot hold '.' or '-', so the section ({@code job.},
     * {@code data.}, {@code model.}, {@code training.}) is dropped and the rest written in camel case:
     * {@code training.learning-rate} is {@code learningRate}, {@code training.adaptive-averaging.low} is
     * {@code adaptiveAveragingLow}, {@code job.seed} is {@code seed}.
     */
    static String paramName(String key) {
        String rest = key.substring(key.indexOf('.') + 1);
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : rest.toCharArray()) {
            if (c == '.' || c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    static Key byName(String name) {
        return KEYS.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The problems the config loader finds with {@code key = value} alone (every other key at its default):
     * empty when the value is valid. Rules that tie this key to another are left to {@link #load}, which sees all.
     */
    static List<String> problemsWith(Key key, Object value) {
        try {
            load(Map.of(key.key(), value));
            return List.of();
        } catch (ConfigError e) {
            List<String> own = new ArrayList<>();
            for (String line : e.getMessage().split("\n")) {
                String problem = line.strip();
                if (problem.startsWith(key.key() + ":")) {
                    own.add(problem);
                }
            }
            // A value the loader refused without naming a key (HOCON text it could not parse) is this key's own.
            return own.isEmpty() && !e.getMessage().contains(": invalid configuration:")
                    ? List.of(e.getMessage().replaceFirst("^\\S*spark-cnn-ml\\S*\\.conf: ", "")) : own;
        }
    }

    /**
     * The job these values describe (keys to values, the rest at their defaults), as the config loader checks it:
     * the values are written into a job file, where a string needs no escaping, and lists and objects are
     * HOCON text as in any job file.
     */
    static JobConfig load(Map<String, Object> values) {
        StringBuilder file = new StringBuilder(BASE);
        values.forEach((key, value) -> {
            Key declared = KEYS.stream().filter(k -> k.key().equals(key)).findFirst().orElse(null);
            boolean hocon = declared != null && declared.hocon() && value instanceof String;
            file.append(key).append(" = ").append(hocon ? value : render(value)).append('\n');
        });
        Path base = null;
        try {
            base = Files.createTempFile("spark-cnn-ml", ".conf");
            Files.writeString(base, file);
            return JobConfig.load(base.toFile(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a config file in " + System.getProperty("java.io.tmpdir")
                    + ": " + e.getMessage(), e);
        } finally {
            if (base != null) {
                new File(base.toString()).delete();
            }
        }
    }

    static String render(Object value) {
        return ConfigValueFactory.fromAnyRef(value).render(
                com.typesafe.config.ConfigRenderOptions.concise().setJson(false));
    }
}
