package io.sparkcnn.jobs.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.sparkcnn.driver.engine.Exchange;
import io.sparkcnn.jobs.architectures.ConvStack;
import io.sparkcnn.jobs.source.BadDataPolicy;
import io.sparkcnn.workers.augment.AugmentPipeline;
import io.sparkcnn.workers.augment.AugmentRegistry;
import io.sparkcnn.workers.augment.BatchRecipe;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.CifarLabels;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.DidYouMean;
import io.sparkcnn.workers.params.Param;
import io.sparkcnn.workers.params.ParamChoice;
import io.sparkcnn.workers.params.ParamList;
import io.sparkcnn.workers.params.ParamType;
import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A job's configuration: a HOCON file from {@code conf/} plus {@code --set key=value} overrides, read and checked
 * in one place against the keys {@link JobKeys} declares. An unknown key or an invalid value fails here, before any
 * data is read or any Spark job starts, naming the file, the key and what is allowed. Values are read by key,
 * {@code config.get(JobKeys.TRAINING_EPOCHS)}, or through the typed views {@link #data()}, {@link #model()} and
 * {@link #training()}.
 */
public final class JobConfig {
    /** Keys whose value is an object or list checked by its own registry (the augmentation library's). */
    private static final List<String> OPAQUE = List.of("data.preprocess", "data.augment");

    /** How {@code --set} values are written, for --help-config. */
    public static final String QUOTING = """
            --set KEY=VALUE takes VALUE by the key's declared type:
              a string key takes the text after '=' as it is, with no quotes and nothing parsed:
                --set 'model.pattern=[(CONV-RELU)*1-POOL]*1-SOFTMAX'   --set data.root=hdfs://host/images
              a number, switch or choice key takes the text, read as that type: --set training.epochs=2
              a list or object key takes HOCON, as in a config file:
                --set 'model.filters=[32, 64]'   --set 'data.augment=[{type=hflip}, {type=translate, max-x=2}]'
                --set 'data.class-names=["T-shirt/top", Trouser]'   --set data.preprocess.height=32
            Quote the whole argument for the shell when it holds spaces, brackets or braces.""";

    private final String source;
    private final Map<Param<?>, Object> values;
    private final String resolved;

    private JobConfig(String source, Map<Param<?>, Object> values, String resolved) {
        this.source = source;
        this.values = Map.copyOf(values);
        this.resolved = resolved;
    }

    /** The value of a declared key. */
    public <T> T get(Param<T> key) {
        Object value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key.key() + " is not a job key; see JobKeys");
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return typed;
    }

    /** The file the configuration came from. */
    public String source() {
        return source;
    }

    /** The configuration as resolved, defaults included, in HOCON. */
    public String resolved() {
        return resolved;
    }

    public String name() {
        return get(JobKeys.JOB_NAME);
    }

    public long seed() {
        return get(JobKeys.JOB_SEED);
    }

    public String master() {
        return get(JobKeys.SPARK_MASTER);
    }

    /**
     * The parsed job for metrics.json: its source, then every key's value grouped as the file groups them
     * ({@code {"training": {"epochs": 8, ...}}}), choices as their words, then the resolved HOCON.
     */
    @JsonValue
    public Map<String, Object> asJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        for (Param<?> p : JobKeys.ALL.all()) {
            int dot = p.key().indexOf('.');
            Object value = values.get(p);
            @SuppressWarnings("unchecked")
            Map<String, Object> section = (Map<String, Object>) out.computeIfAbsent(p.key().substring(0, dot),
                    k -> new LinkedHashMap<String, Object>());
            section.put(p.key().substring(dot + 1), value instanceof ParamChoice c ? c.word() : value);
        }
        out.put("resolved", resolved);
        return out;
    }

    public Data data() {
        return new Data(this);
    }

    public Model model() {
        return new Model(this);
    }

    public Training training() {
        return new Training(this);
    }

    public int classes() {
        return classNames().size();
    }

    public List<String> classNames() {
        return get(JobKeys.DATA_CLASS_NAMES);
    }

    /** Where the images come from and how they split into training, validation and test sets. */
    public record Data(JobConfig c) {
        public SourceFormat format() { return c.get(JobKeys.DATA_FORMAT); }
        public String trainImages() { return c.get(JobKeys.DATA_TRAIN_IMAGES); }
        public String trainLabels() { return c.get(JobKeys.DATA_TRAIN_LABELS); }
        public String testImages() { return c.get(JobKeys.DATA_TEST_IMAGES); }
        public String testLabels() { return c.get(JobKeys.DATA_TEST_LABELS); }
        public String cifarDir() { return c.get(JobKeys.DATA_CIFAR_DIR); }
        public CifarLabels cifarLabels() { return c.get(JobKeys.DATA_CIFAR_LABELS); }
        public String root() { return c.get(JobKeys.DATA_ROOT); }
        public String shards() { return c.get(JobKeys.DATA_SHARDS); }
        public int trainLimit() { return c.get(JobKeys.DATA_TRAIN_LIMIT); }
        public int testLimit() { return c.get(JobKeys.DATA_TEST_LIMIT); }
        public List<String> classNames() { return c.get(JobKeys.DATA_CLASS_NAMES); }
        public double validationFraction() { return c.get(JobKeys.DATA_VALIDATION_FRACTION); }
        public double testFraction() { return c.get(JobKeys.DATA_TEST_FRACTION); }
        public int channels() { return c.get(JobKeys.DATA_CHANNELS); }
        public Preprocess preprocess() { return c.get(JobKeys.DATA_PREPROCESS); }
        public AugmentPipeline augment() { return c.get(JobKeys.DATA_AUGMENT); }
        public TestTimeAugmentation testTimeAugment() { return c.get(JobKeys.DATA_TEST_TIME_AUGMENT); }
        public BadDataPolicy.Mode badData() { return c.get(JobKeys.DATA_BAD_DATA); }
        public double maxBadFraction() { return c.get(JobKeys.DATA_MAX_BAD_FRACTION); }
        public int prefetch() { return c.get(JobKeys.DATA_PREFETCH); }
    }

    /** The network: an architecture by name, its options, and optionally a saved model to fine-tune. */
    public record Model(JobConfig c) {
        public Architecture architecture() { return c.get(JobKeys.MODEL_ARCHITECTURE); }
        public String pattern() { return c.get(JobKeys.MODEL_PATTERN); }
        public List<Integer> filters() { return c.get(JobKeys.MODEL_FILTERS); }
        public int kernel() { return c.get(JobKeys.MODEL_KERNEL); }
        public int fcUnits() { return c.get(JobKeys.MODEL_FC_UNITS); }
        public boolean batchNorm() { return c.get(JobKeys.MODEL_BATCH_NORM); }
        /** The dropout rate, NaN for the architecture's own (-1 in configuration). */
        public double dropout() {
            double rate = c.get(JobKeys.MODEL_DROPOUT);
            return rate == -1 ? Double.NaN : rate;
        }
        public double widthMultiplier() { return c.get(JobKeys.MODEL_WIDTH_MULTIPLIER); }
        public int depth() { return c.get(JobKeys.MODEL_DEPTH); }
        public int widenFactor() { return c.get(JobKeys.MODEL_WIDEN_FACTOR); }
        public String finetuneFrom() { return c.get(JobKeys.MODEL_FINETUNE_FROM); }
        public int freezeLayers() { return c.get(JobKeys.MODEL_FREEZE_LAYERS); }
        public LayerLayout dataFormat() { return c.get(JobKeys.MODEL_DATA_FORMAT); }

        /** True when the convolution and pooling layers run channels-last (NHWC). */
        public boolean channelsLast() {
            return dataFormat() == LayerLayout.NHWC;
        }
    }

    /** The engineering and the optimisation: workers, minibatches, tau, updater, regularisers, schedule. */
    public record Training(JobConfig c) {
        public int workers() { return c.get(JobKeys.TRAINING_WORKERS); }
        public int threadsPerWorker() { return c.get(JobKeys.TRAINING_THREADS_PER_WORKER); }
        public int batchSizePerWorker() { return c.get(JobKeys.TRAINING_BATCH_SIZE_PER_WORKER); }
        public int averagingFrequency() { return c.get(JobKeys.TRAINING_AVERAGING_FREQUENCY); }
        public int epochs() { return c.get(JobKeys.TRAINING_EPOCHS); }
        public Updater updater() { return c.get(JobKeys.TRAINING_UPDATER); }
        public double learningRate() { return c.get(JobKeys.TRAINING_LEARNING_RATE); }
        public double momentum() { return c.get(JobKeys.TRAINING_MOMENTUM); }
        public double l1() { return c.get(JobKeys.TRAINING_L1); }
        public double l2() { return c.get(JobKeys.TRAINING_L2); }
        public double weightDecay() { return c.get(JobKeys.TRAINING_WEIGHT_DECAY); }
        public double gradientClip() { return c.get(JobKeys.TRAINING_GRADIENT_CLIP); }
        public RateSchedule schedule() { return c.get(JobKeys.TRAINING_SCHEDULE); }
        public List<Integer> decayEpochs() { return c.get(JobKeys.TRAINING_DECAY_EPOCHS); }
        public double decayFactor() { return c.get(JobKeys.TRAINING_DECAY_FACTOR); }
        public double minLearningRate() { return c.get(JobKeys.TRAINING_MIN_LEARNING_RATE); }
        public int warmupEpochs() { return c.get(JobKeys.TRAINING_WARMUP_EPOCHS); }
        public int plateauPatience() { return c.get(JobKeys.TRAINING_PLATEAU_PATIENCE); }
        public int earlyStoppingPatience() { return c.get(JobKeys.TRAINING_EARLY_STOPPING_PATIENCE); }
        public int checkpointEveryRounds() { return c.get(JobKeys.TRAINING_CHECKPOINT_EVERY_ROUNDS); }
        public boolean evaluateEveryEpoch() { return c.get(JobKeys.TRAINING_EVALUATE_EVERY_EPOCH); }
        public double labelSmoothing() { return c.get(JobKeys.TRAINING_LABEL_SMOOTHING); }
        public double mixupAlpha() { return c.get(JobKeys.TRAINING_MIXUP_ALPHA); }
        public double mixupP() { return c.get(JobKeys.TRAINING_MIXUP_P); }
        public double cutmixAlpha() { return c.get(JobKeys.TRAINING_CUTMIX_ALPHA); }
        public double cutmixP() { return c.get(JobKeys.TRAINING_CUTMIX_P); }

        /** What the training task does to each whole minibatch: label smoothing, mixup, cutmix. */
        public BatchRecipe batchRecipe() {
            return new BatchRecipe(labelSmoothing(), mixupAlpha(), mixupP(), cutmixAlpha(), cutmixP());
        }
        public int evalBatchSize() { return c.get(JobKeys.TRAINING_EVAL_BATCH_SIZE); }
        /** The EMA's decay per round, 0 when the run keeps no moving average of its weights. */
        public double emaDecay() { return c.get(JobKeys.TRAINING_EMA_DECAY); }
        public int emaStartEpoch() { return c.get(JobKeys.TRAINING_EMA_START_EPOCH); }
        public DivergenceAction onDivergence() { return c.get(JobKeys.TRAINING_ON_DIVERGENCE); }
        public double divergenceRateFactor() { return c.get(JobKeys.TRAINING_DIVERGENCE_RATE_FACTOR); }
        public int maxRollbacks() { return c.get(JobKeys.TRAINING_MAX_ROLLBACKS); }
        public int executorWaitTimeout() { return c.get(JobKeys.TRAINING_EXECUTOR_WAIT_TIMEOUT); }
        public AveragingMode averaging() { return c.get(JobKeys.TRAINING_AVERAGING); }
        public Exchange exchange() { return c.get(JobKeys.TRAINING_EXCHANGE); }
        public int adaptiveMaxMultiple() { return c.get(JobKeys.TRAINING_ADAPTIVE_MAX_MULTIPLE); }
        public double adaptiveLow() { return c.get(JobKeys.TRAINING_ADAPTIVE_LOW); }
        public double adaptiveHigh() { return c.get(JobKeys.TRAINING_ADAPTIVE_HIGH); }
    }

    /** Every key with its default, what it accepts and its meaning, then the --set quoting rules: --help-config. */
    public static String help() {
        StringBuilder out = new StringBuilder();
        int width = JobKeys.ALL.keys().stream().mapToInt(String::length).max().orElse(0);
        for (Param<?> p : JobKeys.ALL.all()) {
            out.append(String.format("%-" + width + "s = %s%n%" + width + "s   (%s) %s%n", p.key(),
                    ParamType.show(p.defaultWritten()), "", p.allowed(), p.doc()));
        }
        return out.append('\n').append(QUOTING).append('\n').toString();
    }

    /**
     * A command-line option that stands for a job key where a command has no config ({@code predict
     * --test-time-augment}): {@code text} read and checked as the key reads it, or a {@link ConfigError} naming the
     * option, the key and what is allowed, before any work starts.
     */
    public static <T> T option(String option, Param<T> key, String text) {
        T value;
        try {
            value = key.type().read(text);
        } catch (IllegalArgumentException e) {
            List<String> choices = key.type().choices();
            throw new ConfigError(option + " (as " + key.key() + "): " + (choices.isEmpty()
                    ? ParamType.show(text) + " is not allowed: " + e.getMessage()
                    : "'" + text + "' is not one of " + choices + "." + DidYouMean.nearest(text, choices)
                            .map(k -> " Did you mean '" + k + "'?").orElse("")));
        }
        Optional<String> rule = key.problem(value);
        if (rule.isPresent()) {
            throw new ConfigError(option + " (as " + key.key() + "): " + value + " " + rule.get());
        }
        return value;
    }

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
            parsed = parsed.withValue(key, overrideValue(override, key, override.substring(eq + 1).trim()));
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
     * An override's value, parsed by its key's declared type: a string key (a path, a pattern such as
     * {@code [(CONV-RELU)*1-POOL]*1-SOFTMAX}) takes the text as it is, so that neither brackets nor HOCON's
     * {@code //} comment marker change it; a list or object key takes HOCON; numbers, switches and choices take the
     * text, read as their type when the configuration is checked.
     */
    private static ConfigValue overrideValue(String override, String key, String value) {
        if (declaredType(key).map(ParamType::structured)
                .orElse(value.startsWith("[") || value.startsWith("{"))) {
            try {
                return ConfigFactory.parseString("v = " + value).getValue("v");
            } catch (ConfigException e) {
                throw new ConfigError("--set " + override + ": cannot be parsed: " + e.getMessage()
                        + "; a list or object is written in HOCON, e.g. [32, 64] or {height = 32}.");
            }
        }
        return ConfigValueFactory.fromAnyRef(value);
    }

    /** The declared type of a job key, or of a preprocessing key under data.preprocess. */
    private static Optional<ParamType<?>> declaredType(String key) {
        Optional<Param<?>> job = JobKeys.ALL.find(key);
        if (job.isPresent()) {
            return job.map(Param::type);
        }
        String prefix = JobKeys.DATA_PREPROCESS.key() + ".";
        if (key.startsWith(prefix)) {
            return new ParamList(AugmentRegistry.preprocessParams()).find(key.substring(prefix.length()))
                    .map(Param::type);
        }
        return Optional.empty();
    }

    private static Config defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        JobKeys.ALL.all().forEach(p -> values.put(p.key(), p.defaultWritten()));
        return ConfigFactory.parseMap(values);
    }

    private static void checkKnown(String key, String where) {
        if (OPAQUE.stream().anyMatch(k -> key.equals(k) || key.startsWith(k + "."))) {
            return;
        }
        if (!JobKeys.ALL.contains(key)) {
            throw new ConfigError(where + ": unknown key '" + key + "'."
                    + JobKeys.ALL.nearest(key).map(k -> " Did you mean '" + k + "'?").orElse("")
                    + " Run 'scripts/train --help-config' for every key.");
        }
    }

    private static JobConfig fromValidated(String source, Config c) {
        Reader r = new Reader(c);
        Map<Param<?>, Object> values = new LinkedHashMap<>();
        for (Param<?> p : JobKeys.ALL.all()) {
            values.put(p, r.read(p));
        }
        JobConfig config = new JobConfig(source, values,
                c.root().render(ConfigRenderOptions.concise().setFormatted(true)));
        checkCombinations(r, config);
        if (!r.problems.isEmpty()) {
            throw new ConfigError(source + ": invalid configuration:\n  " + String.join("\n  ", r.problems));
        }
        return config;
    }

    /** The rules that tie several keys together; a key already found invalid is not checked again. */
    private static void checkCombinations(Reader r, JobConfig config) {
        Data d = config.data();
        Model m = config.model();
        Training t = config.training();
        if (r.valid(JobKeys.DATA_FORMAT)) {
            List<Param<String>> needed = switch (d.format()) {
                case IDX -> List.of(JobKeys.DATA_TRAIN_IMAGES, JobKeys.DATA_TRAIN_LABELS, JobKeys.DATA_TEST_IMAGES,
                        JobKeys.DATA_TEST_LABELS);
                case CIFAR -> List.of(JobKeys.DATA_CIFAR_DIR);
                case FOLDER -> List.of(JobKeys.DATA_ROOT);
                case SHARDS -> List.of(JobKeys.DATA_SHARDS);
            };
            for (Param<String> key : needed) {
                if (r.valid(key) && config.get(key).isBlank()) {
                    r.problems.add(key.key() + ": must be set (" + key.doc() + ")");
                }
            }
        }
        if (r.valid(JobKeys.DATA_CLASS_NAMES)) {
            if (d.format() == SourceFormat.IDX && d.classNames().size() < 2) {
                r.problems.add("data.class-names: needs at least two class names, in label order.");
            }
            if (d.classNames().size() == 1) {
                r.problems.add("data.class-names: needs at least two class names, in label order (or none, to take"
                        + " them from the data).");
            }
        }
        // A folder tree or packed dataset may bring its own val/ split; TrainJob checks those once they are listed.
        boolean validates = d.validationFraction() > 0 || d.format() == SourceFormat.FOLDER
                || d.format() == SourceFormat.SHARDS;
        if (t.earlyStoppingPatience() > 0 && !validates) {
            r.problems.add("training.early-stopping-patience: needs a validation split; set"
                    + " data.validation-fraction (for example 0.1), never stop on the test set.");
        }
        if (t.schedule() == RateSchedule.PLATEAU && !validates) {
            r.problems.add("training.schedule: 'plateau' follows validation accuracy; set data.validation-fraction.");
        }
        if (t.updater() == Updater.ADAMW && t.weightDecay() <= 0) {
            r.problems.add("training.weight-decay: adamw needs a decoupled weight decay above 0 (AdamW's paper used"
                    + " values around 0.01 to 0.05).");
        }
        if (t.updater() == Updater.ADADELTA && t.schedule() != RateSchedule.CONSTANT) {
            r.problems.add("training.schedule: adadelta has no learning rate to schedule; use 'constant'.");
        }
        if (t.schedule() == RateSchedule.STEP && r.valid(JobKeys.TRAINING_DECAY_EPOCHS) && t.decayEpochs().isEmpty()) {
            r.problems.add("training.decay-epochs: 'step' needs the epochs at which the rate drops, e.g. [4, 7].");
        }
        if (r.valid(JobKeys.TRAINING_ADAPTIVE_LOW, JobKeys.TRAINING_ADAPTIVE_HIGH)
                && !(t.adaptiveHigh() > t.adaptiveLow())) {
            r.problems.add("training.adaptive-averaging.high: " + t.adaptiveHigh() + " must be above"
                    + " training.adaptive-averaging.low (" + t.adaptiveLow() + "), or k could both double and halve.");
        }
        if (r.valid(JobKeys.TRAINING_EMA_DECAY, JobKeys.TRAINING_EMA_START_EPOCH, JobKeys.TRAINING_EPOCHS)) {
            if (t.emaDecay() == 0 && t.emaStartEpoch() != JobKeys.TRAINING_EMA_START_EPOCH.defaultValue()) {
                r.problems.add("training.ema.start-epoch: only applies with training.ema.decay above 0 (for example"
                        + " 0.999); set both, or neither.");
            } else if (t.emaDecay() > 0 && t.emaStartEpoch() > t.epochs()) {
                r.problems.add("training.ema.start-epoch: " + t.emaStartEpoch() + " is after the run's last epoch"
                        + " (training.epochs = " + t.epochs() + "), so the average would never start.");
            }
        }
        if (r.valid(JobKeys.TRAINING_EXCHANGE) && t.exchange() == Exchange.BARRIER) {
            if (r.valid(JobKeys.TRAINING_EMA_DECAY) && t.emaDecay() > 0) {
                r.problems.add("training.ema.decay: the EMA follows the averaged weights of every round, which the"
                        + " driver never sees with training.exchange = barrier (the workers average among"
                        + " themselves); use 'tree' or 'all-reduce' with an EMA, or set training.ema.decay = 0.");
            }
            if (r.valid(JobKeys.TRAINING_ON_DIVERGENCE) && t.onDivergence() == DivergenceAction.ROLLBACK) {
                r.problems.add("training.on-divergence: 'rollback' needs the driver between rounds, which"
                        + " training.exchange = barrier does not have; use 'stop' with it, or the 'tree' exchange.");
            }
        }
        requireAlphaWithP(r, config, JobKeys.TRAINING_MIXUP_ALPHA, JobKeys.TRAINING_MIXUP_P);
        requireAlphaWithP(r, config, JobKeys.TRAINING_CUTMIX_ALPHA, JobKeys.TRAINING_CUTMIX_P);
        if (m.channelsLast() && r.valid(JobKeys.MODEL_ARCHITECTURE, JobKeys.MODEL_BATCH_NORM)
                && (!m.architecture().trainsChannelsLast()
                        || m.architecture() == Architecture.CUSTOM && !m.batchNorm())) {
            r.problems.add("model.data-format: NHWC is refused for '" + m.architecture() + "'"
                    + (m.architecture() == Architecture.CUSTOM ? " without model.batch-norm" : "")
                    + ": its convolutions apply their own ReLU, for which DL4J 1.0.0-M2's oneDNN convolution"
                    + " computes wrong gradients channels-last; use NCHW (every architecture whose convolutions"
                    + " feed a batch norm takes NHWC).");
        }
        if (m.freezeLayers() > 0 && m.finetuneFrom().isBlank()) {
            r.problems.add("model.freeze-layers: only applies with model.finetune-from (a saved model.zip).");
        }
        if (m.architecture() == Architecture.CUSTOM && r.valid(JobKeys.MODEL_PATTERN, JobKeys.MODEL_FILTERS)) {
            try {
                ConvStack.parse(m.pattern(), m.filters(), m.kernel(), m.fcUnits(), m.batchNorm());
            } catch (IllegalArgumentException e) {
                r.problems.add(e.getMessage());
            }
        }
        if (r.valid(JobKeys.DATA_PREPROCESS, JobKeys.DATA_AUGMENT, JobKeys.DATA_FORMAT)) {
            networkInput(d).ifPresent(input -> {
                try {
                    d.augment().requireSize(input[0], input[1]);
                } catch (IllegalArgumentException e) {
                    r.problems.add("data.augment: " + e.getMessage());
                }
            });
        }
    }

    /** A mixing probability set without its alpha would silently do nothing. */
    private static void requireAlphaWithP(Reader r, JobConfig config, Param<Double> alpha, Param<Double> p) {
        if (r.valid(alpha, p) && config.get(alpha) == 0 && !config.get(p).equals(p.defaultValue())) {
            r.problems.add(p.key() + ": only applies with " + alpha.key() + " above 0 (for example 0.2); set both,"
                    + " or neither.");
        }
    }

    /**
     * The network's input height and width when the configuration alone decides it: the size preprocessing resizes
     * or crops to, or a CIFAR image's 32x32 after preprocessing. Other sources' sizes are known once their files are
     * read, where the same check runs again.
     */
    private static Optional<int[]> networkInput(Data d) {
        Preprocess p = d.preprocess();
        if (p.height() > 0) {
            return Optional.of(new int[] {p.height(), p.width()});
        }
        if (p.cropHeight() > 0) {
            return Optional.of(new int[] {p.cropHeight(), p.cropWidth()});
        }
        if (d.format() == SourceFormat.CIFAR) {
            Image probe = p.geometry(Image.blank(CifarLabels.SHAPE.height(), CifarLabels.SHAPE.width(), 1));
            return Optional.of(new int[] {probe.height(), probe.width()});
        }
        return Optional.empty();
    }

    /** Reads every key, collecting every problem, so that one run reports them all. */
    private static final class Reader {
        final Config config;
        final List<String> problems = new ArrayList<>();
        final Set<Param<?>> invalid = new HashSet<>();

        Reader(Config config) {
            this.config = config;
        }

        /** The key's value, or its default once its problem is recorded. */
        <T> T read(Param<T> p) {
            Object raw;
            try {
                raw = config.getValue(p.key()).unwrapped();
            } catch (ConfigException e) {
                return invalid(p, p.key() + ": " + e.getMessage().replaceFirst("^.*?: ", "") + " (" + p.doc() + ")");
            }
            T value;
            try {
                value = p.type().read(raw);
            } catch (IllegalArgumentException e) {
                if (p == JobKeys.DATA_PREPROCESS || p == JobKeys.DATA_AUGMENT) {
                    return invalid(p, p.key() + ": " + e.getMessage());
                }
                if (!p.type().choices().isEmpty() && raw instanceof String given) {
                    return invalid(p, p.key() + ": '" + given + "' is not one of " + p.type().choices() + "."
                            + DidYouMean.nearest(given, p.type().choices()).map(k -> " Did you mean '" + k + "'?")
                            .orElse(""));
                }
                return invalid(p, p.key() + ": " + ParamType.show(raw) + " is not allowed: " + e.getMessage() + " ("
                        + p.doc() + ")");
            }
            Optional<String> rule = p.problem(value);
            if (rule.isPresent()) {
                return invalid(p, p.key() + ": " + value + " " + rule.get() + " (" + p.doc() + ")");
            }
            return value;
        }

        private <T> T invalid(Param<T> p, String problem) {
            problems.add(problem);
            invalid.add(p);
            return p.defaultValue();
        }

        boolean valid(Param<?>... keys) {
            for (Param<?> key : keys) {
                if (invalid.contains(key)) {
                    return false;
                }
            }
            return true;
        }
    }
}
