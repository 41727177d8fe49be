package io.sparkcnn.jobs.config;

import static io.sparkcnn.workers.params.ParamValidators.gt;
import static io.sparkcnn.workers.params.ParamValidators.gtEq;
import static io.sparkcnn.workers.params.ParamValidators.inArray;
import static io.sparkcnn.workers.params.ParamValidators.inInterval;
import static io.sparkcnn.workers.params.ParamValidators.powerOfTwo;

import io.sparkcnn.driver.engine.Exchange;
import io.sparkcnn.jobs.architectures.ConvStack;
import io.sparkcnn.jobs.source.BadDataPolicy;
import io.sparkcnn.workers.augment.AugmentPipeline;
import io.sparkcnn.workers.augment.AugmentRegistry;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.CifarLabels;
import io.sparkcnn.workers.params.Param;
import io.sparkcnn.workers.params.ParamList;
import io.sparkcnn.workers.params.ParamType;
import io.sparkcnn.workers.params.ParamValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every key a job's configuration has, each declared once with its type, default, doc and rules, as Spark ML
 * declares its Params; {@link JobConfig} reads and checks a file against these and {@code --help-config} lists
 * them. A constant's name is its key in capitals ({@code training.learning-rate}: {@link #TRAINING_LEARNING_RATE}).
 */
public final class JobKeys {
    private JobKeys() {}

    private static final List<Param<?>> DECLARED = new ArrayList<>();

    private static <T> Param<T> declare(Param<T> param) {
        DECLARED.add(param);
        return param;
    }

    public static final Param<String> JOB_NAME = declare(Param.string("job.name", "job",
            "The run's name, used in output folder names and the Spark UI."));
    public static final Param<Long> JOB_SEED = declare(Param.of("job.seed", ParamType.LONG,
            42L, "Seeds every random choice: initialisation, splits, epoch shuffles, worker RNGs."));

    public static final Param<String> DATA_DIR = declare(Param.string("data.dir", "/usr/share/datasets/fashion-mnist",
            "A folder the job file's data paths may refer to as ${data.dir}; overriding it moves them all."));
    public static final Param<SourceFormat> DATA_FORMAT = declare(Param.choice("data.format", SourceFormat.IDX,
            "The source: IDX files (MNIST layout), CIFAR binary batches, an ImageNet-style folder tree"
                    + " (root/<class>/<image>), or the Parquet shards of a 'prepare' run."));
    public static final Param<String> DATA_TRAIN_IMAGES = declare(Param.string("data.train-images", "",
            "For 'idx': the image file for training (file:, hdfs:, s3a:; may be gzipped)."));
    public static final Param<String> DATA_TRAIN_LABELS = declare(Param.string("data.train-labels", "",
            "For 'idx': the label file for training."));
    public static final Param<String> DATA_TEST_IMAGES = declare(Param.string("data.test-images", "",
            "For 'idx': the image file for the final test."));
    public static final Param<String> DATA_TEST_LABELS = declare(Param.string("data.test-labels", "",
            "For 'idx': the label file for the final test."));
    public static final Param<String> DATA_CIFAR_DIR = declare(Param.string("data.cifar-dir", "",
            "For 'cifar': the folder of the binary batches."));
    public static final Param<CifarLabels> DATA_CIFAR_LABELS = declare(Param.choice("data.cifar-labels",
            CifarLabels.CIFAR_10, "For 'cifar': which layout, and which labels of CIFAR-100."));
    public static final Param<String> DATA_ROOT = declare(Param.string("data.root", "",
            "For 'folder': the tree's root, with train/ val/ test/ sub-trees or one folder per class."));
    public static final Param<String> DATA_SHARDS = declare(Param.string("data.shards", "",
            "For 'shards': the output folder of a 'prepare' run (manifest.json and the Parquet shards)."));
    public static final Param<Integer> DATA_TRAIN_LIMIT = declare(Param.integer("data.train-limit", 0,
            "Use only the first N training examples (0: all).", gtEq(0)));
    public static final Param<Integer> DATA_TEST_LIMIT = declare(Param.integer("data.test-limit", 0,
            "Use only the first N test examples (0: all).", gtEq(0)));
    public static final Param<List<String>> DATA_CLASS_NAMES = declare(Param.strings("data.class-names", List.of(),
            "The class names, in label order; their count is the number of classes (none: from the data)."));
    public static final Param<Double> DATA_VALIDATION_FRACTION = declare(Param.number("data.validation-fraction", 0.0,
            "Share of the training set held out, stratified by class from the seed, to validate every epoch, pick"
                    + " the best model and drive early stopping.", fraction()));
    public static final Param<Double> DATA_TEST_FRACTION = declare(Param.number("data.test-fraction", 0.0,
            "For 'folder' without a test/ sub-tree: the share of each class held out as the test set.", fraction()));
    public static final Param<Integer> DATA_CHANNELS = declare(Param.integer("data.channels", 0,
            "Channels the network sees: 1 (grey) or 3 (RGB), converting as needed (0: as stored).",
            inArray(List.of(0, 1, 3))));
    public static final Param<Preprocess> DATA_PREPROCESS = declare(Param.structured("data.preprocess",
            "an object { shorter-side, crop-height, crop-width, height, width, normalize, mean, std }", Map.of(),
            raw -> AugmentRegistry.preprocess(object(raw)),
            "Resize, centre crop and normalisation on the executors; see --help-augment."));
    public static final Param<AugmentPipeline> DATA_AUGMENT = declare(Param.structured("data.augment",
            "a list of objects { type = ..., p = ... }", List.of(), raw -> AugmentRegistry.pipeline(list(raw)),
            "Augmentations applied in order when training; see --help-augment."));
    public static final Param<TestTimeAugmentation> DATA_TEST_TIME_AUGMENT = declare(Param.choice(
            "data.test-time-augment", TestTimeAugmentation.NONE, "Test-time augmentation of the final held-out score"
                    + " of a training run and of evaluate (predict takes --test-time-augment): the softmax outputs"
                    + " averaged over views of each preprocessed network input. flip: the image and its mirror (2"
                    + " views); ten-crop: AlexNet's, the input enlarged by 256/224 (bilinear: 28x28 becomes 32x32,"
                    + " 224x224 becomes 256x256), its 4 corner and centre crops of the input size, and their mirrors"
                    + " (10 views). Each view costs a forward pass; validation and the per-epoch test curve score the"
                    + " plain view."));
    public static final Param<BadDataPolicy.Mode> DATA_BAD_DATA = declare(Param.choice("data.bad-data",
            BadDataPolicy.Mode.SKIP, "A file that cannot be decoded: 'skip' (reported, not trained on) or 'fail'"
                    + " (the job stops naming it)."));
    public static final Param<Double> DATA_MAX_BAD_FRACTION = declare(Param.number("data.max-bad-fraction", 0.01,
            "With 'skip': the job fails if more than this share of the files is bad.", fraction()));
    public static final Param<Integer> DATA_PREFETCH = declare(Param.integer("data.prefetch", 2,
            "Minibatches each worker decodes and augments ahead, on its own thread (0: none).", gtEq(0)));

    public static final Param<Architecture> MODEL_ARCHITECTURE = declare(Param.choice("model.architecture",
            Architecture.LENET5, "The network."));
    public static final Param<String> MODEL_PATTERN = declare(Param.string("model.pattern",
            "[(CONV-RELU)*2-POOL]*2-(FC-RELU)*1-SOFTMAX", "For 'custom': the stack, as " + ConvStack.FORM + "."));
    public static final Param<List<Integer>> MODEL_FILTERS = declare(Param.ints("model.filters", List.of(32, 64),
            "For 'custom': filters per block (one per block, or one for all)."));
    public static final Param<Integer> MODEL_KERNEL = declare(Param.integer("model.kernel", 3,
            "For 'custom': the convolutions' kernel size (same padding).", gtEq(1)));
    public static final Param<Integer> MODEL_FC_UNITS = declare(Param.integer("model.fc-units", 256,
            "For 'custom': units of each hidden fully connected layer.", gtEq(1)));
    public static final Param<Boolean> MODEL_BATCH_NORM = declare(Param.bool("model.batch-norm", false,
            "For 'custom': batch normalisation after every convolution."));
    public static final Param<Double> MODEL_DROPOUT = declare(Param.number("model.dropout", -1.0,
            "Dropout rate on the fully connected layers' inputs; for wrn between the two convolutions of every"
                    + " block (the paper's 0.3), for densenet-bc100 after every convolution (-1: the architecture's"
                    + " published rate: 0.5 for AlexNet and VGG, 0.4 for GoogLeNet, else none).", new ParamValidator<>(
                    v -> v == -1 || (v >= 0 && v < 1), "must be -1 or in [0, 1)")));
    public static final Param<Double> MODEL_WIDTH_MULTIPLIER = declare(Param.number("model.width-multiplier", 1.0,
            "For 'mobilenet': alpha, the share of filters kept in every layer.", gt(0)));
    public static final Param<Integer> MODEL_DEPTH = declare(Param.integer("model.depth", 28,
            "For 'wrn': d of WRN-d-k, 6n+4 layers for n blocks per stage (16, 22, 28, 40).", new ParamValidator<>(
                    v -> v >= 10 && (v - 4) % 6 == 0, "must be 6n+4 with n >= 1 (10, 16, 22, 28, 40)")));
    public static final Param<Integer> MODEL_WIDEN_FACTOR = declare(Param.integer("model.widen-factor", 10,
            "For 'wrn': k of WRN-d-k, the stages' 16, 32 and 64 filters times k (WRN-28-10: 36.5 million"
                    + " parameters, WRN-16-4: 2.7 million).", gtEq(1)));
    public static final Param<LayerLayout> MODEL_DATA_FORMAT = declare(Param.choice("model.data-format",
            LayerLayout.NCHW, "The layout the convolution and pooling layers run in: NCHW, or NHWC (channels last),"
                    + " which DL4J's oneDNN layers train faster (LeNet-5 ~1.2x, ResNet-20 ~1.07x). The network"
                    + " takes the same NCHW input either way and computes the same function; its dense layers"
                    + " read the flattened convolutions in another order, so a saved model keeps its layout (with"
                    + " model.finetune-from this key does not apply)."));
    public static final Param<String> MODEL_FINETUNE_FROM = declare(Param.string("model.finetune-from", "",
            "A saved model.zip to start from (transfer learning): its output layer is replaced for this job's"
                    + " classes."));
    public static final Param<Integer> MODEL_FREEZE_LAYERS = declare(Param.integer("model.freeze-layers", 0,
            "With finetune-from: how many layers, from the input, keep their parameters frozen.", gtEq(0)));

    public static final Param<Integer> TRAINING_WORKERS = declare(Param.integer("training.workers", 2,
            "Data-parallel workers: one shard and one task each per round.", gtEq(1)));
    public static final Param<Integer> TRAINING_THREADS_PER_WORKER = declare(Param.integer(
            "training.threads-per-worker", 1, "Native (OpenMP/BLAS) threads per worker task (spark.task.cpus).",
            gtEq(1)));
    public static final Param<Integer> TRAINING_BATCH_SIZE_PER_WORKER = declare(Param.integer(
            "training.batch-size-per-worker", 32, "Minibatch size on each worker.", gtEq(1)));
    public static final Param<Integer> TRAINING_AVERAGING_FREQUENCY = declare(Param.integer(
            "training.averaging-frequency", 10, "tau: local minibatch steps between two averagings.", gtEq(1)));
    public static final Param<AveragingMode> TRAINING_AVERAGING = declare(Param.choice("training.averaging",
            AveragingMode.FIXED, "How often the workers average: 'fixed' (every averaging-frequency steps) or"
                    + " 'adaptive' (rounds of k times averaging-frequency steps, k a power of two that doubles while"
                    + " the workers' updates agree and halves when they drift apart; see"
                    + " docs/adaptive-averaging.md)."));
    public static final Param<Exchange> TRAINING_EXCHANGE = declare(Param.choice("training.exchange",
            Exchange.TREE, "How a round's worker results are summed: 'tree' (in partition order, so that the same"
                    + " config and seed give the same parameters bit for bit) or 'tree-arrival-order' (Spark's"
                    + " treeAggregate, in task completion order: with more than two workers runs may differ in"
                    + " the last bits; kept to measure what the ordering costs) or 'all-reduce' (each worker's result"
                    + " cut into one slice per worker and each slice summed by one task through the shuffle, so the"
                    + " driver receives one state per round whatever the number of workers; in partition order,"
                    + " like 'tree') or 'barrier' (one Spark barrier task per worker for a whole epoch, the workers"
                    + " averaging among themselves after every round through an all-gather: no task launch,"
                    + " broadcast or first-minibatch wait per round, the tree's parameters bit for bit; the driver"
                    + " sees the state once an epoch, so checkpoints and listeners follow epochs, training.ema.decay and"
                    + " training.on-divergence = rollback are refused; the changes go between the executors over"
                    + " TCP, sealed with AES-GCM where Spark encrypts its own traffic)."));
    public static final Param<Integer> TRAINING_ADAPTIVE_MAX_MULTIPLE = declare(Param.integer(
            "training.adaptive-averaging.max-multiple", 8, "For 'adaptive': the largest k, a power of two.",
            powerOfTwo()));
    public static final Param<Double> TRAINING_ADAPTIVE_LOW = declare(Param.number("training.adaptive-averaging.low",
            0.5, "For 'adaptive': k doubles after a round whose relative spread of the workers' updates is below"
                    + " this (LeNet-5 on Fashion-MNIST: 0.2 to 0.6 while the loss falls fast, 0.55 to 0.8 later).",
            gtEq(0.0)));
    public static final Param<Double> TRAINING_ADAPTIVE_HIGH = declare(Param.number(
            "training.adaptive-averaging.high", 0.7, "For 'adaptive': k halves after a round whose relative spread"
                    + " is above this (above low).", gt(0)));
    public static final Param<Integer> TRAINING_EPOCHS = declare(Param.integer("training.epochs", 5,
            "Passes over the training set.", gtEq(1)));
    public static final Param<Updater> TRAINING_UPDATER = declare(Param.choice("training.updater", Updater.ADAM,
            "The optimiser. adamw is Adam with decoupled weight decay (training.weight-decay); adadelta has no"
                    + " learning rate."));
    public static final Param<Double> TRAINING_LEARNING_RATE = declare(Param.number("training.learning-rate", 0.001,
            "The base learning rate, which the schedule scales.", gt(0)));
    public static final Param<Double> TRAINING_MOMENTUM = declare(Param.number("training.momentum", 0.9,
            "Momentum, for the momentum and nesterov updaters.", unitInterval()));
    public static final Param<Double> TRAINING_L1 = declare(Param.number("training.l1", 0.0,
            "L1 regularisation coefficient on the weights (0: none).", gtEq(0.0)));
    public static final Param<Double> TRAINING_L2 = declare(Param.number("training.l2", 0.0,
            "L2 regularisation coefficient on the weights (0: none).", gtEq(0.0)));
    public static final Param<Double> TRAINING_WEIGHT_DECAY = declare(Param.number("training.weight-decay", 0.0,
            "Decoupled weight decay (0: none); required by adamw.", gtEq(0.0)));
    public static final Param<Double> TRAINING_GRADIENT_CLIP = declare(Param.number("training.gradient-clip", 0.0,
            "Clip each layer's gradient to this L2 norm (0: no clipping).", gtEq(0.0)));
    public static final Param<RateSchedule> TRAINING_SCHEDULE = declare(Param.choice("training.schedule",
            RateSchedule.CONSTANT, "Learning-rate schedule. step: multiply by decay-factor at each of"
                    + " decay-epochs; exponential: by decay-factor every epoch; cosine: down to min-learning-rate"
                    + " over the run; plateau: by decay-factor when validation accuracy stalls for plateau-patience"
                    + " epochs."));
    public static final Param<List<Integer>> TRAINING_DECAY_EPOCHS = declare(Param.ints("training.decay-epochs",
            List.of(), "For 'step': the epochs at whose start the rate drops."));
    public static final Param<Double> TRAINING_DECAY_FACTOR = declare(Param.number("training.decay-factor", 0.1,
            "For step, exponential and plateau: the multiplier.", unitInterval()));
    public static final Param<Double> TRAINING_MIN_LEARNING_RATE = declare(Param.number("training.min-learning-rate",
            0.0, "The floor of cosine and plateau schedules.", gtEq(0.0)));
    public static final Param<Integer> TRAINING_WARMUP_EPOCHS = declare(Param.integer("training.warmup-epochs", 0,
            "Linear warm-up from 0 over this many epochs, before any schedule (for the large effective batch of"
                    + " many workers).", gtEq(0)));
    public static final Param<Integer> TRAINING_PLATEAU_PATIENCE = declare(Param.integer("training.plateau-patience",
            2, "For 'plateau': epochs without a better validation accuracy before the rate drops.", gtEq(1)));
    public static final Param<Integer> TRAINING_EARLY_STOPPING_PATIENCE = declare(Param.integer(
            "training.early-stopping-patience", 0, "Stop after this many epochs without a better validation"
                    + " accuracy (0: never); needs data.validation-fraction.", gtEq(0)));
    public static final Param<Integer> TRAINING_CHECKPOINT_EVERY_ROUNDS = declare(Param.integer(
            "training.checkpoint-every-rounds", 0, "Checkpoint every K rounds as well as at every epoch's end (0:"
                    + " epoch ends only).", gtEq(0)));
    public static final Param<Boolean> TRAINING_EVALUATE_EVERY_EPOCH = declare(Param.bool(
            "training.evaluate-every-epoch", false, "Also score the test set after every epoch, for its curve in"
                    + " metrics.json and the report only: it never picks the model, stops the run or moves the"
                    + " schedule (a validation set does). Off: the test set is scored once, at the end."));
    public static final Param<Double> TRAINING_LABEL_SMOOTHING = declare(Param.number("training.label-smoothing",
            0.0, "eps: training targets become (1 - eps) * one-hot + eps / classes (Szegedy et al. 2016; 0.1 is"
                    + " usual); evaluation scores against the plain labels. 0: off.", unitInterval()));
    public static final Param<Double> TRAINING_MIXUP_ALPHA = declare(Param.number("training.mixup.alpha", 0.0,
            "Mixup (Zhang et al. 2018), per training minibatch on the workers: lambda ~ Beta(alpha, alpha), every"
                    + " image and its target mixed as lambda * itself + (1 - lambda) * another image of the batch"
                    + " (0.2 to 0.4 for ImageNet, 1 for CIFAR). 0: off.", gtEq(0.0)));
    public static final Param<Double> TRAINING_MIXUP_P = declare(Param.number("training.mixup.p", 1.0,
            "With mixup.alpha: the probability that a minibatch is mixed.", inInterval(0, 1, true, true)));
    public static final Param<Double> TRAINING_CUTMIX_ALPHA = declare(Param.number("training.cutmix.alpha", 0.0,
            "CutMix (Yun et al. 2019), per training minibatch: lambda ~ Beta(alpha, alpha), a box of (1 - lambda)"
                    + " of the image area, placed uniformly and clipped to the image, pasted from another image of"
                    + " the batch, the targets weighted by the areas actually kept (1 is usual). With mixup too, a"
                    + " batch gets cutmix with probability cutmix.p, else mixup with mixup.p. 0: off.", gtEq(0.0)));
    public static final Param<Double> TRAINING_CUTMIX_P = declare(Param.number("training.cutmix.p", 1.0,
            "With cutmix.alpha: the probability that a minibatch gets a box.", inInterval(0, 1, true, true)));
    public static final Param<Double> TRAINING_EMA_DECAY = declare(Param.number("training.ema.decay", 0.0,
            "Polyak averaging: the driver keeps an exponential moving average of the parameters, updated after every"
                    + " averaging round as ema = decay * ema + (1 - decay) * params, starting as a copy of them. Per"
                    + " round, not per step: it averages about 1 / (1 - decay) rounds of averaging-frequency steps"
                    + " each (a per-step decay d is d^averaging-frequency per round; 0.99 to 0.999 are usual)."
                    + " Every parameter is averaged, batch normalisation's running mean and deviation included; the"
                    + " updater state is not. The EMA weights are what validation scores, the best model and early"
                    + " stopping follow, the final test scores and model.zip holds (metrics.json: evaluated_weights"
                    + " = ema). 0: off.", unitInterval()));
    public static final Param<Integer> TRAINING_EMA_START_EPOCH = declare(Param.integer("training.ema.start-epoch", 1,
            "With ema.decay: the epoch whose first round starts the average; before it the trained weights are"
                    + " scored (early weights are far from the later ones, and would weigh on the average).",
            gtEq(1)));
    public static final Param<Integer> TRAINING_EVAL_BATCH_SIZE = declare(Param.integer("training.eval-batch-size",
            256, "Minibatch size for evaluation.", gtEq(1)));
    public static final Param<DivergenceAction> TRAINING_ON_DIVERGENCE = declare(Param.choice(
            "training.on-divergence", DivergenceAction.STOP, "A round whose loss or averaged parameters are NaN or"
                    + " infinite: 'stop' (the run fails naming the epoch and round; its checkpoints stay) or"
                    + " 'rollback' (the round runs again from the parameters it started from, with the learning"
                    + " rate multiplied by divergence-rate-factor)."));
    public static final Param<Double> TRAINING_DIVERGENCE_RATE_FACTOR = declare(Param.number(
            "training.divergence-rate-factor", 0.5, "For 'rollback': the learning rate's multiplier after each"
                    + " rollback.", inInterval(0, 1, false, false)));
    public static final Param<Integer> TRAINING_MAX_ROLLBACKS = declare(Param.integer("training.max-rollbacks", 3,
            "For 'rollback': rollbacks allowed in the whole run before it stops as with 'stop'.", gtEq(1)));
    public static final Param<Integer> TRAINING_EXECUTOR_WAIT_TIMEOUT = declare(Param.integer(
            "training.executor-wait-timeout", 300, "On a cluster: seconds the run waits while no executor is left"
                    + " (workers lost) before it stops with an error; it says that it waits.", gtEq(10)));
    public static final Param<String> SPARK_MASTER = declare(Param.string("spark.master", "local",
            "Where to run: 'local' (embedded Spark with workers x threads-per-worker cores), or a Spark master URL."
                    + " spark-submit's --master wins."));

    /** Every key, in the order --help-config lists them. */
    public static final ParamList ALL = new ParamList(DECLARED);

    private static ParamValidator<Number> fraction() {
        return inInterval(0, 0.9, true, false);
    }

    private static ParamValidator<Number> unitInterval() {
        return inInterval(0, 1, true, false);
    }

    private static Map<String, ?> object(Object raw) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("expected an object like { height = 32, width = 32 }, not " + raw);
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("keys must be strings, not " + key);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) map;
        return typed;
    }

    private static List<?> list(Object raw) {
        if (!(raw instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a list like [ { type = hflip } ], not " + raw);
        }
        return items;
    }
}
