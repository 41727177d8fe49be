package io.sparkcnn.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A job's configuration: a HOCON file from {@code conf/} plus {@code --set key=value} overrides, checked in
 * one place against the declared {@link #PARAMS}. An unknown key or an invalid value fails here, before any
 * data is read or any Spark job starts, naming the file, the key and what is allowed.
 */
public record JobConfig(
        String source,
        String name,
        long seed,
        String trainImages,
        String trainLabels,
        String testImages,
        String testLabels,
        int trainLimit,
        int testLimit,
        List<String> classNames,
        String architecture,
        int workers,
        int threadsPerWorker,
        int batchSizePerWorker,
        int averagingFrequency,
        int epochs,
        String updater,
        double learningRate,
        double momentum,
        boolean evaluateEveryEpoch,
        int evalBatchSize,
        String master) {

    public static final List<String> ARCHITECTURES = List.of("lenet5");
    public static final List<String> UPDATERS = List.of("sgd", "nesterov", "adam");

    public static final List<Param> PARAMS = List.of(
            new Param("job.name", "job", "The run's name, used in output folder names and the Spark UI."),
            new Param("job.seed", 42, "Seeds every random choice: initialisation, epoch shuffles, worker RNGs."),
            new Param("data.dir", "/usr/share/datasets/fashion-mnist", "A folder the job file's data paths may"
                    + " refer to as ${data.dir}; overriding it moves them all."),
            new Param("data.train-images", "", "IDX image file for training (file:, hdfs:, s3a:; may be gzipped)."),
            new Param("data.train-labels", "", "IDX label file for training."),
            new Param("data.test-images", "", "IDX image file for the final test."),
            new Param("data.test-labels", "", "IDX label file for the final test."),
            new Param("data.train-limit", 0, "Use only the first N training examples (0: all)."),
            new Param("data.test-limit", 0, "Use only the first N test examples (0: all)."),
            new Param("data.class-names", List.of(), "The class names, in label order; their count is the"
                    + " number of classes."),
            new Param("model.architecture", "lenet5", "The network: one of " + ARCHITECTURES + "."),
            new Param("training.workers", 2, "Data-parallel workers: one shard and one task each per round."),
            new Param("training.threads-per-worker", 1, "Native (OpenMP/BLAS) threads per worker task"
                    + " (spark.task.cpus)."),
            new Param("training.batch-size-per-worker", 32, "Minibatch size on each worker."),
            new Param("training.averaging-frequency", 10, "tau: local minibatch steps between two averagings."),
            new Param("training.epochs", 5, "Passes over the training set."),
            new Param("training.updater", "adam", "The optimiser: one of " + UPDATERS + "."),
            new Param("training.learning-rate", 0.001, "The learning rate."),
            new Param("training.momentum", 0.9, "Momentum, for the nesterov updater."),
            new Param("training.evaluate-every-epoch", true, "Evaluate on the test set after every epoch"
                    + " (otherwise only at the end)."),
            new Param("training.eval-batch-size", 256, "Minibatch size for evaluation."),
            new Param("spark.master", "local", "Where to run: 'local' (embedded Spark with workers x"
                    + " threads-per-worker cores), or a Spark master URL. spark-submit's --master wins."));

    /** Reads {@code file}, applies {@code overrides} (key=value) and validates the result. */
    public static JobConfig load(File file, List<String> overrides) {
        if (!file.isFile()) {
            throw new ConfigError(file + ": no such config file. The jobs live in conf/, for example"
                    + " conf/lenet5-fashion.conf.");
        }
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigError(file + ": cannot be parsed: " + e.getMessage());
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError("--set " + override + ": expected key=value, for example"
                        + " --set training.epochs=2.");
            }
            String key = override.substring(0, eq).trim();
            checkKnown(key, "--set " + override);
            parsed = parsed.withValue(key, ConfigValueFactory.fromAnyRef(override.substring(eq + 1).trim()));
        }
        for (String key : parsed.entrySet().stream().map(Map.Entry::getKey).sorted().toList()) {
            checkKnown(key, file.toString());
        }
        Config resolved;
        try {
            resolved = parsed.withFallback(defaults()).resolve();
        } catch (ConfigException e) {
            throw new ConfigError(file + ": cannot be resolved: " + e.getMessage());
        }
        return fromValidated(file.toString(), resolved);
    }

    private static Config defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        PARAMS.forEach(p -> values.put(p.key(), p.fallback()));
        return ConfigFactory.parseMap(values);
    }

    private static void checkKnown(String key, String where) {
        Set<String> known = PARAMS.stream().map(Param::key).collect(Collectors.toSet());
        if (!known.contains(key)) {
            String nearest = PARAMS.stream().map(Param::key)
                    .min(Comparator.comparingInt(k -> editDistance(k, key))).orElseThrow();
            throw new ConfigError(where + ": unknown key '" + key + "'. Did you mean '" + nearest + "'?"
                    + " Run 'scripts/train --help-config' for every key.");
        }
    }

    private static JobConfig fromValidated(String source, Config c) {
        Reader r = new Reader(source, c);
        JobConfig config = new JobConfig(
                source,
                r.get("job.name", c::getString),
                r.get("job.seed", c::getLong, 0L),
                r.nonEmpty("data.train-images"),
                r.nonEmpty("data.train-labels"),
                r.nonEmpty("data.test-images"),
                r.nonEmpty("data.test-labels"),
                r.atLeast("data.train-limit", 0),
                r.atLeast("data.test-limit", 0),
                r.get("data.class-names", c::getStringList),
                r.oneOf("model.architecture", ARCHITECTURES),
                r.atLeast("training.workers", 1),
                r.atLeast("training.threads-per-worker", 1),
                r.atLeast("training.batch-size-per-worker", 1),
                r.atLeast("training.averaging-frequency", 1),
                r.atLeast("training.epochs", 1),
                r.oneOf("training.updater", UPDATERS),
                r.positive("training.learning-rate"),
                r.inUnitInterval("training.momentum"),
                r.get("training.evaluate-every-epoch", c::getBoolean, true),
                r.atLeast("training.eval-batch-size", 1),
                r.get("spark.master", c::getString));
        if (config.classNames() != null && config.classNames().size() < 2) {
            r.problems.add("data.class-names: needs at least two class names, in label order.");
        }
        if (!r.problems.isEmpty()) {
            throw new ConfigError(source + ": invalid configuration:\n  " + String.join("\n  ", r.problems));
        }
        return config;
    }

    public int classes() {
        return classNames.size();
    }

    /** Collects every problem, so that one run reports them all. */
    private static final class Reader {
        final String source;
        final Config config;
        final List<String> problems = new ArrayList<>();

        Reader(String source, Config config) {
            this.source = source;
            this.config = config;
        }

        <T> T get(String key, Function<String, T> getter) {
            try {
                return getter.apply(key);
            } catch (ConfigException e) {
                problems.add(key + ": " + e.getMessage().replaceFirst("^.*?: ", "") + " (" + doc(key) + ")");
                return null;
            }
        }

        /** For a primitive component: {@code ifInvalid} stands in once the problem is recorded. */
        <T> T get(String key, Function<String, T> getter, T ifInvalid) {
            T value = get(key, getter);
            return value == null ? ifInvalid : value;
        }

        String nonEmpty(String key) {
            String value = get(key, config::getString);
            if (value != null && value.isBlank()) {
                problems.add(key + ": must be set (" + doc(key) + ")");
            }
            return value;
        }

        String oneOf(String key, List<String> allowed) {
            String value = get(key, config::getString);
            if (value != null && !allowed.contains(value)) {
                problems.add(key + ": '" + value + "' is not one of " + allowed + ".");
            }
            return value;
        }

        int atLeast(String key, int min) {
            Integer value = get(key, config::getInt);
            if (value != null && value < min) {
                problems.add(key + ": " + value + " is below its minimum " + min + " (" + doc(key) + ")");
            }
            return value == null ? min : value;
        }

        double positive(String key) {
            Double value = get(key, config::getDouble);
            if (value != null && !(value > 0 && Double.isFinite(value))) {
                problems.add(key + ": " + value + " must be a positive number (" + doc(key) + ")");
            }
            return value == null ? 1 : value;
        }

        double inUnitInterval(String key) {
            Double value = get(key, config::getDouble);
            if (value != null && !(value >= 0 && value < 1)) {
                problems.add(key + ": " + value + " must be in [0, 1) (" + doc(key) + ")");
            }
            return value == null ? 0 : value;
        }

        private static String doc(String key) {
            return PARAMS.stream().filter(p -> p.key().equals(key)).map(Param::doc).findFirst().orElse("");
        }
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
