package io.sparkcnn.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.sparkcnn.jobs.architectures.ConvStack;
import io.sparkcnn.workers.augment.AugmentPipeline;
import io.sparkcnn.workers.augment.AugmentRegistry;
import io.sparkcnn.workers.augment.Preprocess;
import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * A job's configuration: a HOCON file from {@code conf/} plus {@code --set key=value} overrides, checked in
 * one place against the declared {@link #PARAMS}. An unknown key or an invalid value fails here, before any
 * data is read or any Spark job starts, naming the file, the key and what is allowed.
 */
public record JobConfig(String source, String name, long seed, Data data, Model model, Training training,
                        String master, String resolved) {

    /** Where the images come from and how they split into training, validation and test sets. */
    public record Data(String format, String trainImages, String trainLabels, String testImages, String testLabels,
                       String cifarDir, String cifarLabels, String root, String shards, int trainLimit,
                       int testLimit, List<String> classNames, double validationFraction, double testFraction,
                       int channels, Preprocess preprocess, AugmentPipeline augment, String badData,
                       double maxBadFraction, int prefetch) {}

    /** The network: an architecture by name, its options, and optionally a saved model to fine-tune. */
    public record Model(String architecture, String pattern, List<Integer> filters, int kernel, int fcUnits,
                        boolean batchNorm, double dropout, double widthMultiplier, String finetuneFrom,
                        int freezeLayers, String dataFormat) {

        /** True when the convolution and pooling layers run channels-last (NHWC). */
        public boolean channelsLast() {
            return "NHWC".equals(dataFormat);
        }
    }

    /** The engineering and the optimisation: workers, minibatches, tau, updater, regularisers, schedule. */
    public record Training(int workers, int threadsPerWorker, int batchSizePerWorker, int averagingFrequency,
                           int epochs, String updater, double learningRate, double momentum, double l1, double l2,
                           double weightDecay, double gradientClip, String schedule, List<Integer> decayEpochs,
                           double decayFactor, double minLearningRate, int warmupEpochs, int plateauPatience,
                           int earlyStoppingPatience, int checkpointEveryRounds, boolean evaluateEveryEpoch,
                           int evalBatchSize, String onDivergence, double divergenceRateFactor,
                           int maxRollbacks, int executorWaitTimeout, String averaging,
                           int adaptiveMaxMultiple, double adaptiveLow, double adaptiveHigh) {}

    public static final List<String> ARCHITECTURES = List.of("lenet5", "alexnet", "vgg16", "vgg19", "googlenet",
            "resnet18", "resnet34", "resnet50", "resnet20", "resnet56", "mobilenet", "convnetjs", "custom");
    public static final List<String> UPDATERS = List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop",
            "adagrad", "adadelta");
    public static final List<String> FORMATS = List.of("idx", "cifar", "folder", "shards");
    public static final List<String> CIFAR_LABELS = List.of("cifar10", "cifar100-fine", "cifar100-coarse");
    /** Keys whose value is an object or list checked by its own registry (the augmentation library's). */
    private static final List<String> OPAQUE = List.of("data.preprocess", "data.augment");
    public static final List<String> ON_DIVERGENCE = List.of("stop", "rollback");
    public static final List<String> SCHEDULES = List.of("constant", "step", "exponential", "cosine", "plateau");
    public static final List<String> AVERAGING = List.of("fixed", "adaptive");

    public static final List<Param> PARAMS = List.of(
            new Param("job.name", "job", "The run's name, used in output folder names and the Spark UI."),
            new Param("job.seed", 42, "Seeds every random choice: initialisation, splits, epoch shuffles, worker"
                    + " RNGs."),
            new Param("data.dir", "/usr/share/datasets/fashion-mnist", "A folder the job file's data paths may"
                    + " refer to as ${data.dir}; overriding it moves them all."),
            new Param("data.format", "idx", "The source: one of " + FORMATS + ": IDX files (MNIST layout),"
                    + " CIFAR binary batches, an ImageNet-style folder tree (root/<class>/<image>), or the Parquet"
                    + " shards of a 'prepare' run."),
            new Param("data.train-images", "", "IDX image file for training (file:, hdfs:, s3a:; may be gzipped)."),
            new Param("data.train-labels", "", "IDX label file for training."),
            new Param("data.test-images", "", "IDX image file for the final test."),
            new Param("data.test-labels", "", "IDX label file for the final test."),
            new Param("data.cifar-dir", "", "For 'cifar': the folder of the binary batches."),
            new Param("data.cifar-labels", "cifar10", "For 'cifar': one of " + CIFAR_LABELS + "."),
            new Param("data.root", "", "For 'folder': the tree's root, with train/ val/ test/ sub-trees or one"
                    + " folder per class."),
            new Param("data.shards", "", "For 'shards': the output folder of a 'prepare' run (manifest.json and"
                    + " the Parquet shards)."),
            new Param("data.train-limit", 0, "Use only the first N training examples (0: all)."),
            new Param("data.test-limit", 0, "Use only the first N test examples (0: all)."),
            new Param("data.class-names", List.of(), "The class names, in label order; their count is the"
                    + " number of classes."),
            new Param("data.validation-fraction", 0.0, "Share of the training set held out, stratified by class"
                    + " from the seed, to validate every epoch, pick the best model and drive early stopping."),
            new Param("data.test-fraction", 0.0, "For 'folder' without a test/ sub-tree: the share of each class"
                    + " held out as the test set."),
            new Param("data.channels", 0, "Channels the network sees: 1 (grey) or 3 (RGB), converting as needed"
                    + " (0: as stored)."),
            new Param("data.preprocess", Map.of(), "Resize, centre crop and normalisation on the executors:"
                    + " { shorter-side, crop-height, crop-width, height, width, normalize, mean, std }; see"
                    + " --help-augment."),
            new Param("data.augment", List.of(), "Augmentations applied in order when training, each"
                    + " { type = ..., p = ... }; see --help-augment."),
            new Param("data.bad-data", "skip", "A file that cannot be decoded: 'skip' (reported, not trained on)"
                    + " or 'fail' (the job stops naming it)."),
            new Param("data.max-bad-fraction", 0.01, "With 'skip': the job fails if more than this share of the"
                    + " files is bad."),
            new Param("data.prefetch", 2, "Minibatches each worker decodes and augments ahead, on its own thread"
                    + " (0: none)."),
            new Param("model.architecture", "lenet5", "The network: one of " + ARCHITECTURES + "."),
            new Param("model.pattern", "[(CONV-RELU)*2-POOL]*2-(FC-RELU)*1-SOFTMAX", "For 'custom': the stack, as "
                    + ConvStack.FORM + "."),
            new Param("model.filters", List.of(32, 64), "For 'custom': filters per block (one per block, or one"
                    + " for all)."),
            new Param("model.kernel", 3, "For 'custom': the convolutions' kernel size (same padding)."),
            new Param("model.fc-units", 256, "For 'custom': units of each hidden fully connected layer."),
            new Param("model.batch-norm", false, "For 'custom': batch normalisation after every convolution."),
            new Param("model.dropout", -1.0, "Dropout rate on the fully connected layers' inputs (-1: the"
                    + " architecture's published rate: 0.5 for AlexNet and VGG, 0.4 for GoogLeNet, else none)."),
            new Param("model.width-multiplier", 1.0, "For 'mobilenet': alpha, the share of filters kept in every"
                    + " layer."),
            new Param("model.data-format", "NCHW", "The layout the convolution and pooling layers run in: NCHW, or"
                    + " NHWC (channels last; lenet5 only), which DL4J's oneDNN layers train ~1.25x faster. The"
                    + " network takes the same input either way."),
            new Param("model.finetune-from", "", "A saved model.zip to start from (transfer learning): its output"
                    + " layer is replaced for this job's classes."),
            new Param("model.freeze-layers", 0, "With finetune-from: how many layers, from the input, keep their"
                    + " parameters frozen."),
            new Param("training.workers", 2, "Data-parallel workers: one shard and one task each per round."),
            new Param("training.threads-per-worker", 1, "Native (OpenMP/BLAS) threads per worker task"
                    + " (spark.task.cpus)."),
            new Param("training.batch-size-per-worker", 32, "Minibatch size on each worker."),
            new Param("training.averaging-frequency", 10, "tau: local minibatch steps between two averagings."),
            new Param("training.averaging", "fixed", "How often the workers average: 'fixed' (every"
                    + " averaging-frequency steps) or 'adaptive' (rounds of k times averaging-frequency steps, k a"
                    + " power of two that doubles while the workers' updates agree and halves when they drift"
                    + " apart; see docs/adaptive-averaging.md)."),
            new Param("training.adaptive-averaging.max-multiple", 8, "For 'adaptive': the largest k, a power of"
                    + " two."),
            new Param("training.adaptive-averaging.low", 0.5, "For 'adaptive': k doubles after a round whose"
                    + " relative spread of the workers' updates is below this (LeNet-5 on Fashion-MNIST: 0.2 to 0.6"
                    + " while the loss falls fast, 0.55 to 0.8 later)."),
            new Param("training.adaptive-averaging.high", 0.7, "For 'adaptive': k halves after a round whose"
                    + " relative spread is above this (above low)."),
            new Param("training.epochs", 5, "Passes over the training set."),
            new Param("training.updater", "adam", "The optimiser: one of " + UPDATERS + ". adamw is Adam with"
                    + " decoupled weight decay (training.weight-decay); adadelta has no learning rate."),
            new Param("training.learning-rate", 0.001, "The base learning rate, which the schedule scales."),
            new Param("training.momentum", 0.9, "Momentum, for the momentum and nesterov updaters."),
            new Param("training.l1", 0.0, "L1 regularisation coefficient on the weights (0: none)."),
            new Param("training.l2", 0.0, "L2 regularisation coefficient on the weights (0: none)."),
            new Param("training.weight-decay", 0.0, "Decoupled weight decay (0: none); required by adamw."),
            new Param("training.gradient-clip", 0.0, "Clip each layer's gradient to this L2 norm (0: no"
                    + " clipping)."),
            new Param("training.schedule", "constant", "Learning-rate schedule: one of " + SCHEDULES + ". step:"
                    + " multiply by decay-factor at each of decay-epochs; exponential: by decay-factor every"
                    + " epoch; cosine: down to min-learning-rate over the run; plateau: by decay-factor when"
                    + " validation accuracy stalls for plateau-patience epochs."),
            new Param("training.decay-epochs", List.of(), "For 'step': the epochs at whose start the rate drops."),
            new Param("training.decay-factor", 0.1, "For step, exponential and plateau: the multiplier."),
            new Param("training.min-learning-rate", 0.0, "The floor of cosine and plateau schedules."),
            new Param("training.warmup-epochs", 0, "Linear warm-up from 0 over this many epochs, before any"
                    + " schedule (for the large effective batch of many workers)."),
            new Param("training.plateau-patience", 2, "For 'plateau': epochs without a better validation"
                    + " accuracy before the rate drops."),
            new Param("training.early-stopping-patience", 0, "Stop after this many epochs without a better"
                    + " validation accuracy (0: never); needs data.validation-fraction."),
            new Param("training.checkpoint-every-rounds", 0, "Checkpoint every K rounds as well as at every"
                    + " epoch's end (0: epoch ends only)."),
            new Param("training.evaluate-every-epoch", true, "Evaluate on the test set after every epoch"
                    + " (otherwise only at the end); with a validation split, validation runs every epoch."),
            new Param("training.eval-batch-size", 256, "Minibatch size for evaluation."),
            new Param("training.on-divergence", "stop", "A round whose loss or averaged parameters are NaN or"
                    + " infinite: 'stop' (the run fails naming the epoch and round; its checkpoints stay) or"
                    + " 'rollback' (the round runs again from the parameters it started from, with the learning"
                    + " rate multiplied by divergence-rate-factor)."),
            new Param("training.divergence-rate-factor", 0.5, "For 'rollback': the learning rate's multiplier"
                    + " after each rollback, in (0, 1)."),
            new Param("training.max-rollbacks", 3, "For 'rollback': rollbacks allowed in the whole run before it"
                    + " stops as with 'stop'."),
            new Param("training.executor-wait-timeout", 300, "On a cluster: seconds the run waits while no"
                    + " executor is left (workers lost) before it stops with an error; it says that it waits."),
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
            parsed = parsed.withValue(key, overrideValue(override, override.substring(eq + 1).trim()));
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

    /**
     * A list or object value ({@code [32, 64]}) is read as HOCON; anything else stays a plain string, so that a
     * path such as {@code hdfs://host/x} is not cut at HOCON's {@code //} comment marker.
     */
    private static ConfigValue overrideValue(String override, String value) {
        if (value.startsWith("[") || value.startsWith("{")) {
            try {
                return ConfigFactory.parseString("v = " + value).getValue("v");
            } catch (ConfigException e) {
                throw new ConfigError("--set " + override + ": cannot be parsed: " + e.getMessage());
            }
        }
        return ConfigValueFactory.fromAnyRef(value);
    }

    private static Config defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        PARAMS.forEach(p -> values.put(p.key(), p.fallback()));
        return ConfigFactory.parseMap(values);
    }

    private static void checkKnown(String key, String where) {
        if (OPAQUE.stream().anyMatch(k -> key.equals(k) || key.startsWith(k + "."))) {
            return;
        }
        Set<String> known = PARAMS.stream().map(Param::key).collect(Collectors.toSet());
        if (!known.contains(key)) {
            String nearest = PARAMS.stream().map(Param::key)
                    .min(Comparator.comparingInt(k -> LevenshteinDistance.getDefaultInstance().apply(k, key))).orElseThrow();
            throw new ConfigError(where + ": unknown key '" + key + "'. Did you mean '" + nearest + "'?"
                    + " Run 'scripts/train --help-config' for every key.");
        }
    }

    private static JobConfig fromValidated(String source, Config c) {
        Reader r = new Reader(source, c);
        String format = r.oneOf("data.format", FORMATS);
        boolean idx = "idx".equals(format);
        Data data = new Data(
                format,
                idx ? r.nonEmpty("data.train-images") : c.getString("data.train-images"),
                idx ? r.nonEmpty("data.train-labels") : c.getString("data.train-labels"),
                idx ? r.nonEmpty("data.test-images") : c.getString("data.test-images"),
                idx ? r.nonEmpty("data.test-labels") : c.getString("data.test-labels"),
                "cifar".equals(format) ? r.nonEmpty("data.cifar-dir") : c.getString("data.cifar-dir"),
                r.oneOf("data.cifar-labels", CIFAR_LABELS),
                "folder".equals(format) ? r.nonEmpty("data.root") : c.getString("data.root"),
                "shards".equals(format) ? r.nonEmpty("data.shards") : c.getString("data.shards"),
                r.atLeast("data.train-limit", 0),
                r.atLeast("data.test-limit", 0),
                r.get("data.class-names", c::getStringList),
                r.fraction("data.validation-fraction"),
                r.fraction("data.test-fraction"),
                r.oneOfInts("data.channels", List.of(0, 1, 3)),
                r.built("data.preprocess", () -> AugmentRegistry.preprocess(c.getObject("data.preprocess").unwrapped()),
                        Preprocess.none()),
                r.built("data.augment", () -> AugmentRegistry.pipeline(c.getList("data.augment").unwrapped()),
                        AugmentPipeline.NONE),
                r.oneOf("data.bad-data", List.of("skip", "fail")),
                r.fraction("data.max-bad-fraction"),
                r.atLeast("data.prefetch", 0));
        Model model = new Model(
                r.oneOf("model.architecture", ARCHITECTURES),
                r.get("model.pattern", c::getString),
                r.get("model.filters", c::getIntList),
                r.atLeast("model.kernel", 1),
                r.atLeast("model.fc-units", 1),
                r.get("model.batch-norm", c::getBoolean, false),
                r.dropout("model.dropout"),
                r.positive("model.width-multiplier"),
                r.get("model.finetune-from", c::getString),
                r.atLeast("model.freeze-layers", 0),
                r.oneOf("model.data-format", List.of("NCHW", "NHWC")));
        Training training = new Training(
                r.atLeast("training.workers", 1),
                r.atLeast("training.threads-per-worker", 1),
                r.atLeast("training.batch-size-per-worker", 1),
                r.atLeast("training.averaging-frequency", 1),
                r.atLeast("training.epochs", 1),
                r.oneOf("training.updater", UPDATERS),
                r.positive("training.learning-rate"),
                r.inUnitInterval("training.momentum"),
                r.atLeast("training.l1", 0.0),
                r.atLeast("training.l2", 0.0),
                r.atLeast("training.weight-decay", 0.0),
                r.atLeast("training.gradient-clip", 0.0),
                r.oneOf("training.schedule", SCHEDULES),
                r.get("training.decay-epochs", c::getIntList),
                r.inUnitInterval("training.decay-factor"),
                r.atLeast("training.min-learning-rate", 0.0),
                r.atLeast("training.warmup-epochs", 0),
                r.atLeast("training.plateau-patience", 1),
                r.atLeast("training.early-stopping-patience", 0),
                r.atLeast("training.checkpoint-every-rounds", 0),
                r.get("training.evaluate-every-epoch", c::getBoolean, true),
                r.atLeast("training.eval-batch-size", 1),
                r.oneOf("training.on-divergence", ON_DIVERGENCE),
                r.openUnitInterval("training.divergence-rate-factor"),
                r.atLeast("training.max-rollbacks", 1),
                r.atLeast("training.executor-wait-timeout", 10),
                r.oneOf("training.averaging", AVERAGING),
                r.powerOfTwo("training.adaptive-averaging.max-multiple"),
                r.atLeast("training.adaptive-averaging.low", 0.0),
                r.positive("training.adaptive-averaging.high"));
        JobConfig config = new JobConfig(source, r.get("job.name", c::getString), r.get("job.seed", c::getLong, 0L),
                data, model, training, r.get("spark.master", c::getString),
                c.root().render(ConfigRenderOptions.concise().setFormatted(true)));
        checkCombinations(r, config);
        if (!r.problems.isEmpty()) {
            throw new ConfigError(source + ": invalid configuration:\n  " + String.join("\n  ", r.problems));
        }
        return config;
    }

    /** The rules that tie several keys together. */
    private static void checkCombinations(Reader r, JobConfig config) {
        Data d = config.data();
        Model m = config.model();
        Training t = config.training();
        if (d.classNames() != null && "idx".equals(d.format()) && d.classNames().size() < 2) {
            r.problems.add("data.class-names: needs at least two class names, in label order.");
        }
        if (d.classNames() != null && d.classNames().size() == 1) {
            r.problems.add("data.class-names: needs at least two class names, in label order (or none, to take"
                    + " them from the data).");
        }
        boolean validates = d.validationFraction() > 0;
        if (t.earlyStoppingPatience() > 0 && !validates) {
            r.problems.add("training.early-stopping-patience: needs a validation split; set"
                    + " data.validation-fraction (for example 0.1), never stop on the test set.");
        }
        if ("plateau".equals(t.schedule()) && !validates) {
            r.problems.add("training.schedule: 'plateau' follows validation accuracy; set data.validation-fraction.");
        }
        if ("adamw".equals(t.updater()) && t.weightDecay() <= 0) {
            r.problems.add("training.weight-decay: adamw needs a decoupled weight decay above 0 (AdamW's paper used"
                    + " values around 0.01 to 0.05).");
        }
        if ("adadelta".equals(t.updater()) && !"constant".equals(t.schedule())) {
            r.problems.add("training.schedule: adadelta has no learning rate to schedule; use 'constant'.");
        }
        if ("step".equals(t.schedule()) && t.decayEpochs() != null && t.decayEpochs().isEmpty()) {
            r.problems.add("training.decay-epochs: 'step' needs the epochs at which the rate drops, e.g. [4, 7].");
        }
        if (!(t.adaptiveHigh() > t.adaptiveLow())) {
            r.problems.add("training.adaptive-averaging.high: " + t.adaptiveHigh() + " must be above"
                    + " training.adaptive-averaging.low (" + t.adaptiveLow() + "), or k could both double and halve.");
        }
        if (m.channelsLast() && !"lenet5".equals(m.architecture())) {
            r.problems.add("model.data-format: NHWC is built for lenet5 only; use NCHW for '" + m.architecture()
                    + "'.");
        }
        if (m.freezeLayers() > 0 && (m.finetuneFrom() == null || m.finetuneFrom().isBlank())) {
            r.problems.add("model.freeze-layers: only applies with model.finetune-from (a saved model.zip).");
        }
        if ("custom".equals(m.architecture()) && m.pattern() != null && m.filters() != null) {
            try {
                ConvStack.parse(m.pattern(), m.filters(), m.kernel(), m.fcUnits(), m.batchNorm());
            } catch (IllegalArgumentException e) {
                r.problems.add(e.getMessage());
            }
        }
    }

    public int classes() {
        return data.classNames().size();
    }

    public List<String> classNames() {
        return data.classNames();
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

        int powerOfTwo(String key) {
            Integer value = get(key, config::getInt);
            if (value != null && (value < 1 || Integer.bitCount(value) != 1)) {
                problems.add(key + ": " + value + " is not a power of two (1, 2, 4, 8, ...) (" + doc(key) + ")");
            }
            return value == null || value < 1 || Integer.bitCount(value) != 1 ? 1 : value;
        }

        int oneOfInts(String key, List<Integer> allowed) {
            Integer value = get(key, config::getInt);
            if (value != null && !allowed.contains(value)) {
                problems.add(key + ": " + value + " is not one of " + allowed + " (" + doc(key) + ")");
            }
            return value == null ? allowed.get(0) : value;
        }

        /** A value another registry builds and checks; its message becomes this key's problem. */
        <T> T built(String key, java.util.function.Supplier<T> builder, T ifInvalid) {
            try {
                return builder.get();
            } catch (ConfigException | IllegalArgumentException e) {
                problems.add(key + ": " + e.getMessage());
                return ifInvalid;
            }
        }

        double atLeast(String key, double min) {
            Double value = get(key, config::getDouble);
            if (value != null && !(value >= min && Double.isFinite(value))) {
                problems.add(key + ": " + value + " must be at least " + min + " (" + doc(key) + ")");
            }
            return value == null ? min : value;
        }

        double fraction(String key) {
            Double value = get(key, config::getDouble);
            if (value != null && !(value >= 0 && value < 0.9)) {
                problems.add(key + ": " + value + " must be in [0, 0.9) (" + doc(key) + ")");
            }
            return value == null ? 0 : value;
        }

        /** -1 (the architecture's own rate) becomes NaN. */
        double dropout(String key) {
            Double value = get(key, config::getDouble);
            if (value != null && value == -1) {
                return Double.NaN;
            }
            if (value != null && !(value >= 0 && value < 1)) {
                problems.add(key + ": " + value + " must be -1 or in [0, 1) (" + doc(key) + ")");
            }
            return value == null ? Double.NaN : value;
        }

        double positive(String key) {
            Double value = get(key, config::getDouble);
            if (value != null && !(value > 0 && Double.isFinite(value))) {
                problems.add(key + ": " + value + " must be a positive number (" + doc(key) + ")");
            }
            return value == null ? 1 : value;
        }

        double openUnitInterval(String key) {
            Double value = get(key, config::getDouble);
            if (value != null && !(value > 0 && value < 1)) {
                problems.add(key + ": " + value + " must be in (0, 1) (" + doc(key) + ")");
            }
            return value == null ? 0.5 : value;
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
}
