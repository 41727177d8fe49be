package io.sparkcnn.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.engine.Exchange;
import io.sparkcnn.jobs.source.BadDataPolicy;
import io.sparkcnn.workers.augment.AugmentRegistry;
import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.CifarLabels;
import io.sparkcnn.workers.params.Param;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every declared key can be set with {@code --set key=value}, each by its declared type (issue 18, item 1). */
class SetFromCommandLineTest {
    private static final File LENET5 = new File("../conf/lenet5-fashion.conf");

    /** A key, the text a user types after '=', the value it must give, and any keys it needs set with it. */
    private record Case(String key, String text, Object expected, List<String> with) {}

    private static final List<Case> CASES = new ArrayList<>();

    private static void set(String key, String text, Object expected, String... with) {
        CASES.add(new Case(key, text, expected, List.of(with)));
    }

    static {
        set("job.name", "night run", "night run");
        set("job.seed", "7", 7L);
        set("data.dir", "/x", "/x");
        set("data.format", "folder", SourceFormat.FOLDER, "data.root=/r");
        set("data.train-images", "/a/train-images", "/a/train-images");
        set("data.train-labels", "/a/train-labels", "/a/train-labels");
        set("data.test-images", "/a/test-images", "/a/test-images");
        set("data.test-labels", "/a/test-labels", "/a/test-labels");
        set("data.cifar-dir", "hdfs://host/cifar", "hdfs://host/cifar");
        set("data.cifar-labels", "cifar100-fine", CifarLabels.CIFAR_100_FINE);
        set("data.root", "hdfs://host/images // with a HOCON comment marker", "hdfs://host/images // with a HOCON"
                + " comment marker");
        set("data.shards", "s3a://bucket/shards", "s3a://bucket/shards");
        set("data.train-limit", "100", 100);
        set("data.test-limit", "50", 50);
        set("data.class-names", "[\"T-shirt/top\", Trouser]", List.of("T-shirt/top", "Trouser"));
        set("data.validation-fraction", "0.1", 0.1);
        set("data.test-fraction", "0.2", 0.2);
        set("data.channels", "3", 3);
        set("data.preprocess", "{height = 32, width = 32}", AugmentRegistry.preprocess(Map.of("height", 32,
                "width", 32)));
        set("data.augment", "[{type = hflip}, {type = translate, max-x = 3}]", AugmentRegistry.pipeline(List.of(
                Map.of("type", "hflip"), Map.of("type", "translate", "max-x", 3))));
        set("data.test-time-augment", "ten-crop", TestTimeAugmentation.TEN_CROP);
        set("data.bad-data", "fail", BadDataPolicy.Mode.FAIL);
        set("data.max-bad-fraction", "0.05", 0.05);
        set("data.prefetch", "0", 0);
        set("model.architecture", "resnet20", Architecture.RESNET20, "model.data-format=NCHW");
        set("model.pattern", "[(CONV-RELU)*1-POOL]*1-SOFTMAX", "[(CONV-RELU)*1-POOL]*1-SOFTMAX",
                "model.architecture=custom", "model.filters=[16]", "model.data-format=NCHW");
        set("model.filters", "[16, 32]", List.of(16, 32));
        set("model.kernel", "5", 5);
        set("model.fc-units", "128", 128);
        set("model.batch-norm", "true", true);
        set("model.dropout", "0.3", 0.3);
        set("model.width-multiplier", "0.5", 0.5);
        set("model.depth", "16", 16);
        set("model.widen-factor", "4", 4);
        set("model.data-format", "NCHW", LayerLayout.NCHW);
        set("model.finetune-from", "runs/x/model.zip", "runs/x/model.zip");
        set("model.freeze-layers", "2", 2, "model.finetune-from=runs/x/model.zip");
        set("training.workers", "3", 3);
        set("training.threads-per-worker", "2", 2);
        set("training.batch-size-per-worker", "16", 16);
        set("training.averaging-frequency", "5", 5);
        set("training.averaging", "adaptive", AveragingMode.ADAPTIVE);
        set("training.exchange", "tree-arrival-order", Exchange.TREE_ARRIVAL_ORDER);
        set("training.adaptive-averaging.max-multiple", "4", 4);
        set("training.adaptive-averaging.low", "0.3", 0.3);
        set("training.adaptive-averaging.high", "0.9", 0.9);
        set("training.epochs", "2", 2);
        set("training.updater", "sgd", Updater.SGD);
        set("training.learning-rate", "0.01", 0.01);
        set("training.momentum", "0.8", 0.8);
        set("training.l1", "0.001", 0.001);
        set("training.l2", "0.002", 0.002);
        set("training.weight-decay", "0.01", 0.01);
        set("training.gradient-clip", "1.5", 1.5);
        set("training.schedule", "step", RateSchedule.STEP, "training.decay-epochs=[2]");
        set("training.decay-epochs", "[2, 4]", List.of(2, 4));
        set("training.decay-factor", "0.5", 0.5);
        set("training.min-learning-rate", "0.0001", 0.0001);
        set("training.warmup-epochs", "1", 1);
        set("training.plateau-patience", "3", 3);
        set("training.early-stopping-patience", "2", 2, "data.validation-fraction=0.1");
        set("training.checkpoint-every-rounds", "10", 10);
        set("training.evaluate-every-epoch", "true", true);
        set("training.label-smoothing", "0.1", 0.1);
        set("training.mixup.alpha", "0.2", 0.2);
        set("training.mixup.p", "0.5", 0.5, "training.mixup.alpha=0.2");
        set("training.cutmix.alpha", "1", 1.0);
        set("training.cutmix.p", "0.5", 0.5, "training.cutmix.alpha=1");
        set("training.ema.decay", "0.999", 0.999);
        set("training.ema.start-epoch", "2", 2, "training.ema.decay=0.99");
        set("training.eval-batch-size", "128", 128);
        set("training.on-divergence", "rollback", DivergenceAction.ROLLBACK);
        set("training.divergence-rate-factor", "0.25", 0.25);
        set("training.max-rollbacks", "5", 5);
        set("training.executor-wait-timeout", "60", 60);
        set("spark.master", "spark://127.0.0.1:7077", "spark://127.0.0.1:7077");
    }

    @Test
    void everyDeclaredKeyIsCovered() {
        assertEquals(new TreeSet<>(JobKeys.ALL.keys()), new TreeSet<>(CASES.stream().map(Case::key).toList()),
                "a key declared in JobKeys needs a case here, so that it is known to be settable");
    }

    @Test
    void everyDeclaredKeyCanBeSetFromAString() {
        Map<String, String> failures = new LinkedHashMap<>();
        for (Case c : CASES) {
            List<String> sets = new ArrayList<>(c.with());
            sets.add(c.key() + "=" + c.text());
            Param<?> param = JobKeys.ALL.find(c.key()).orElseThrow();
            try {
                Object value = JobConfig.load(LENET5, sets).get(param);
                if (!c.expected().equals(value)) {
                    failures.put(c.key(), "gave " + value + ", expected " + c.expected());
                }
            } catch (ConfigError e) {
                failures.put(c.key(), e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), "--set failed for " + failures);
    }

    @Test
    void aCustomPatternIsSetUnquotedAndKeptAsTyped() {
        JobConfig job = JobConfig.load(LENET5, List.of("model.architecture=custom", "model.data-format=NCHW",
                "model.filters=[16]", "model.pattern=[(CONV-RELU)*1-POOL]*1-SOFTMAX"));

        assertEquals("[(CONV-RELU)*1-POOL]*1-SOFTMAX", job.model().pattern());
    }

    @Test
    void aPreprocessingKeyIsSetByItsOwnType() {
        JobConfig job = JobConfig.load(LENET5, List.of("data.preprocess.height=32", "data.preprocess.width=32",
                "data.preprocess.mean=[100]", "data.preprocess.std=[50]", "data.preprocess.normalize=standardize"));

        assertEquals(32, job.data().preprocess().height());
        assertEquals(List.of(100.0), job.data().preprocess().mean());
    }

    @Test
    void theHelpListsEveryKeyItsDefaultAndTheQuotingRules() {
        String help = JobConfig.help();

        for (Param<?> p : JobKeys.ALL.all()) {
            assertTrue(help.contains(p.key()) && help.contains(p.doc()), p.key());
        }
        assertTrue(help.contains("training.updater") && help.contains("one of sgd, momentum, nesterov, adam"), help);
        assertTrue(help.contains("a string key takes the text after '=' as it is"), help);
        assertTrue(help.contains("--set 'model.pattern=[(CONV-RELU)*1-POOL]*1-SOFTMAX'"), help);
    }
}
