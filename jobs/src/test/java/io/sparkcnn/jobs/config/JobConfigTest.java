package io.sparkcnn.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.params.Param;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobConfigTest {
    /** Surefire runs in the module folder; the job files live in the project's conf/. */
    private static final File LENET5 = new File("../conf/lenet5-fashion.conf");

    @TempDir
    Path dir;

    @BeforeAll
    static void theJobFileIsThere() {
        assertTrue(LENET5.isFile(), "expected the job file at " + LENET5.getAbsolutePath());
    }

    @Test
    void theLenet5JobLoadsWithItsValues() {
        JobConfig config = JobConfig.load(LENET5, List.of());

        assertEquals(LENET5.toString(), config.source());
        assertEquals("lenet5-fashion", config.name());
        assertEquals(42, config.seed());
        String data = "/usr/share/datasets/fashion-mnist";
        assertEquals(data + "/train-images-idx3-ubyte.gz", config.data().trainImages());
        assertEquals(data + "/train-labels-idx1-ubyte.gz", config.data().trainLabels());
        assertEquals(data + "/t10k-images-idx3-ubyte.gz", config.data().testImages());
        assertEquals(data + "/t10k-labels-idx1-ubyte.gz", config.data().testLabels());
        assertEquals(0, config.data().trainLimit());
        assertEquals(0, config.data().testLimit());
        assertEquals(10, config.classes());
        assertEquals("T-shirt/top", config.classNames().get(0));
        assertEquals("Ankle boot", config.classNames().get(9));
        assertEquals(Architecture.LENET5, config.model().architecture());
        assertEquals(2, config.training().workers());
        assertEquals(1, config.training().threadsPerWorker());
        assertEquals(32, config.training().batchSizePerWorker());
        assertEquals(10, config.training().averagingFrequency());
        assertEquals(8, config.training().epochs());
        assertEquals(Updater.ADAM, config.training().updater());
        assertEquals(0.001, config.training().learningRate(), 1e-12);
        // Not in the file: the declared defaults fill in.
        assertEquals(0.9, config.training().momentum(), 1e-12);
        assertFalse(config.training().evaluateEveryEpoch(), "the test set is scored once, at the end");
        assertEquals(256, config.training().evalBatchSize());
        assertEquals("local", config.master());
    }

    @Test
    void aSetOverridesTheFile() {
        JobConfig config = JobConfig.load(LENET5, List.of("training.epochs=3", "training.updater = nesterov",
                "training.learning-rate=0.05", "training.evaluate-every-epoch=true"));

        assertEquals(3, config.training().epochs());
        assertEquals(Updater.NESTEROV, config.training().updater());
        assertEquals(0.05, config.training().learningRate(), 1e-12);
        assertTrue(config.training().evaluateEveryEpoch());
        assertEquals(2, config.training().workers());
    }

    @Test
    void theLastSetOfAKeyWins() {
        JobConfig config = JobConfig.load(LENET5, List.of("training.epochs=3", "training.epochs=4"));

        assertEquals(4, config.training().epochs());
    }

    @Test
    void settingTheDataDirMovesAllFourDataPaths() {
        JobConfig config = JobConfig.load(LENET5, List.of("data.dir=/x"));

        assertEquals("/x/train-images-idx3-ubyte.gz", config.data().trainImages());
        assertEquals("/x/train-labels-idx1-ubyte.gz", config.data().trainLabels());
        assertEquals("/x/t10k-images-idx3-ubyte.gz", config.data().testImages());
        assertEquals("/x/t10k-labels-idx1-ubyte.gz", config.data().testLabels());
    }

    @Test
    void aMinimalFileTakesEveryOtherValueFromTheDefaults() throws IOException {
        File file = write("minimal.conf", """
                data {
                  train-images = /d/a
                  train-labels = /d/b
                  test-images = /d/c
                  test-labels = /d/e
                  class-names = [no, yes]
                }
                """);

        JobConfig config = JobConfig.load(file, List.of());

        assertEquals(2, config.classes());
        assertEquals("job", config.name());
        assertEquals(5, config.training().epochs());
        assertEquals(32, config.training().batchSizePerWorker());
        assertEquals("/d/a", config.data().trainImages());
    }

    @Test
    void anUnknownKeyInTheFileIsNamedWithTheNearestKnownOne() throws IOException {
        File file = write("typo.conf", "training.epoch = 3\n");

        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'training.epoch'"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'training.epochs'"), e.getMessage());
    }

    @Test
    void anUnknownKeyInASetIsNamedWithTheNearestKnownOne() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> JobConfig.load(LENET5, List.of("training.worker=4")));
        assertTrue(e.getMessage().contains("--set training.worker=4"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'training.workers'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "training.workers, 0",
        "training.learning-rate, -1",
        "training.learning-rate, 0",
        "training.updater, foo",
        "training.epochs, abc",
        "training.epochs, 0",
        "training.momentum, 1.5",
        "training.batch-size-per-worker, -4",
        "model.architecture, vgg",
        "model.depth, 20",
        "model.widen-factor, 0",
        "data.train-limit, -1",
        "training.averaging, sometimes",
        "training.adaptive-averaging.max-multiple, 6",
        "training.adaptive-averaging.max-multiple, 0",
        "training.adaptive-averaging.low, -0.1",
        "training.adaptive-averaging.high, 0",
        "training.label-smoothing, 1",
        "training.label-smoothing, -0.1",
        "training.mixup.alpha, -1",
        "training.mixup.p, 1.5",
        "training.cutmix.alpha, -0.5",
        "training.cutmix.p, -0.1",
        "training.ema.decay, 1",
        "training.ema.decay, -0.1",
        "training.ema.start-epoch, 0",
        "data.test-time-augment, five-crop",
    })
    void anInvalidValueIsRefusedNamingItsKey(String key, String value) {
        ConfigError e = assertThrows(ConfigError.class,
                () -> JobConfig.load(LENET5, List.of(key + "=" + value)));
        assertTrue(e.getMessage().contains(LENET5.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(key + ":"), e.getMessage());
    }

    @Test
    void adaptiveAveragingTakesItsLimitAndThresholds() {
        JobConfig config = JobConfig.load(LENET5, List.of("training.averaging=adaptive",
                "training.adaptive-averaging.max-multiple=4", "training.adaptive-averaging.low=0.2",
                "training.adaptive-averaging.high=0.9"));

        assertEquals(AveragingMode.ADAPTIVE, config.training().averaging());
        assertEquals(4, config.training().adaptiveMaxMultiple());
        assertEquals(0.2, config.training().adaptiveLow(), 0);
        assertEquals(0.9, config.training().adaptiveHigh(), 0);
        assertEquals(AveragingMode.FIXED, JobConfig.load(LENET5, List.of()).training().averaging(), "fixed by default");
    }

    @Test
    void adaptiveThresholdsThatCrossAreRefusedNamingTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(LENET5, List.of(
                "training.adaptive-averaging.low=2", "training.adaptive-averaging.high=1")));

        assertTrue(e.getMessage().contains("training.adaptive-averaging.high: 1.0 must be above"), e.getMessage());
    }

    @Test
    void theBatchRecipeIsOffByDefaultAndTakesItsKeys() {
        assertTrue(JobConfig.load(LENET5, List.of()).training().batchRecipe().isNone(), "off: today's batches");
        JobConfig on = JobConfig.load(LENET5, List.of("training.label-smoothing=0.1", "training.mixup.alpha=0.2",
                "training.cutmix.alpha=1", "training.cutmix.p=0.5"));

        assertEquals(new io.sparkcnn.workers.augment.BatchRecipe(0.1, 0.2, 1.0, 1.0, 0.5),
                on.training().batchRecipe());
    }

    @Test
    void everyShippedJobThatPicksAModelHoldsOutAValidationSplit() {
        File[] jobs = LENET5.getParentFile().listFiles((d, name) -> name.endsWith(".conf"));
        assertTrue(jobs.length > 10);
        for (File file : jobs) {
            JobConfig job = JobConfig.load(file, List.of());
            boolean picks = job.training().earlyStoppingPatience() > 0
                    || job.training().schedule() == RateSchedule.PLATEAU;
            if (picks) {
                assertTrue(job.data().validationFraction() > 0, file + " stops or schedules on validation");
            }
        }
    }

    @Test
    void theLeNetRecipeIsLeNet5FashionWithItsSchedule() {
        JobConfig plain = JobConfig.load(LENET5, List.of());
        JobConfig recipe = JobConfig.load(LENET5.toPath().resolveSibling("lenet5-recipe.conf").toFile(), List.of());
        assertEquals(plain.model().architecture(), recipe.model().architecture());
        assertEquals(plain.model().dataFormat(), recipe.model().dataFormat());
        assertEquals(plain.training().epochs(), recipe.training().epochs(), "the same 8-epoch budget");
        assertEquals(plain.training().workers(), recipe.training().workers());
        assertEquals(plain.training().batchSizePerWorker(), recipe.training().batchSizePerWorker());
        assertEquals(0.002, recipe.training().learningRate(), 0);
        assertEquals(RateSchedule.COSINE, recipe.training().schedule());
        assertEquals(0.00001, recipe.training().minLearningRate(), 0);
        assertEquals(plain.data().augment().steps(), recipe.data().augment().steps());
        assertEquals(plain.data().testTimeAugment(), recipe.data().testTimeAugment());
        assertEquals(0, recipe.data().validationFraction(), 0, "it picks no model: trained on all 60,000");
    }

    @Test
    void theEmaIsOffByDefaultAndItsStartEpochNeedsItsDecayAndAnEpochOfTheRun() {
        JobConfig.Training plain = JobConfig.load(LENET5, List.of()).training();
        assertEquals(0, plain.emaDecay(), 0, "off: today's behaviour");
        assertEquals(1, plain.emaStartEpoch());
        JobConfig.Training on = JobConfig.load(LENET5, List.of("training.ema.decay=0.999",
                "training.ema.start-epoch=3")).training();
        assertEquals(0.999, on.emaDecay(), 0);
        assertEquals(3, on.emaStartEpoch());

        ConfigError alone = assertThrows(ConfigError.class,
                () -> JobConfig.load(LENET5, List.of("training.ema.start-epoch=2")));
        assertTrue(alone.getMessage().contains("training.ema.start-epoch: only applies with training.ema.decay"),
                alone.getMessage());
        ConfigError late = assertThrows(ConfigError.class, () -> JobConfig.load(LENET5, List.of(
                "training.ema.decay=0.99", "training.ema.start-epoch=9")));
        assertTrue(late.getMessage().contains("training.ema.start-epoch: 9 is after the run's last epoch"
                + " (training.epochs = 8)"), late.getMessage());
    }

    @Test
    void theBarrierExchangeRefusesAnEmaAndRollbackNamingTheKeysBeforeAnyJob() {
        assertEquals(io.sparkcnn.driver.engine.Exchange.BARRIER, JobConfig.load(LENET5,
                List.of("training.exchange=barrier")).training().exchange());
        ConfigError ema = assertThrows(ConfigError.class, () -> JobConfig.load(LENET5, List.of(
                "training.exchange=barrier", "training.ema.decay=0.999")));
        assertTrue(ema.getMessage().contains("training.ema.decay: the EMA follows the averaged weights of every"
                + " round"), ema.getMessage());
        ConfigError rollback = assertThrows(ConfigError.class, () -> JobConfig.load(LENET5, List.of(
                "training.exchange=barrier", "training.on-divergence=rollback")));
        assertTrue(rollback.getMessage().contains("training.on-divergence: 'rollback' needs the driver between"
                + " rounds"), rollback.getMessage());
    }

    @Test
    void testTimeAugmentationIsOffByDefaultAndAnUnknownModeIsRefusedNamingTheKeyAndTheModes() {
        assertEquals(io.sparkcnn.workers.augment.TestTimeAugmentation.NONE,
                JobConfig.load(LENET5, List.of()).data().testTimeAugment(), "off: today's single view");
        assertEquals(io.sparkcnn.workers.augment.TestTimeAugmentation.FLIP,
                JobConfig.load(LENET5, List.of("data.test-time-augment=flip")).data().testTimeAugment());

        ConfigError e = assertThrows(ConfigError.class,
                () -> JobConfig.load(LENET5, List.of("data.test-time-augment=mirror")));

        assertTrue(e.getMessage().contains("data.test-time-augment: 'mirror' is not one of [none, flip, ten-crop]."),
                e.getMessage());
        assertTrue(JobConfig.help().contains("data.test-time-augment") && JobConfig.help().contains(
                "one of none, flip, ten-crop"), "--help-config lists it with its modes");
    }

    @Test
    void aMixingProbabilityWithoutItsAlphaIsRefusedNamingBothKeys() {
        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(LENET5, List.of("training.mixup.p=0.5")));

        assertTrue(e.getMessage().contains("training.mixup.p: only applies with training.mixup.alpha above 0"),
                e.getMessage());
    }

    @Test
    void channelsLastIsTakenForTheBatchNormArchitecturesButRefusedForReluConvolutions() {
        assertTrue(JobConfig.load(LENET5, List.of("model.data-format=NHWC", "model.architecture=resnet20")).model()
                .channelsLast());
        ConfigError relu = assertThrows(ConfigError.class, () -> JobConfig.load(LENET5, List.of(
                "model.data-format=NHWC", "model.architecture=vgg16")));
        assertTrue(relu.getMessage().contains("model.data-format: NHWC is refused for 'vgg16': its convolutions apply"
                + " their own ReLU"), relu.getMessage());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"job.seed, x", "training.evaluate-every-epoch, maybe"})
    void anUnreadableSeedOrSwitchIsRefusedNamingItsKey(String key, String value) {
        ConfigError e = assertThrows(ConfigError.class,
                () -> JobConfig.load(LENET5, List.of(key + "=" + value, "training.workers=0")));
        assertTrue(e.getMessage().contains(key + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("training.workers:"), e.getMessage());
    }

    /** The LeNet-5 job in a scratch folder, with {@code from} replaced by {@code to} in the file it includes. */
    private File lenet5WithSharedSettings(String from, String to) throws IOException {
        String shared = Files.readString(LENET5.toPath().resolveSibling("fashion-mnist.conf"));
        assertTrue(shared.contains(from), "fashion-mnist.conf should contain " + from);
        write("fashion-mnist.conf", shared.replace(from, to));
        return write("bad.conf", Files.readString(LENET5.toPath()));
    }

    @Test
    void anInvalidValueInTheFileIsRefusedNamingItsKey() throws IOException {
        File file = lenet5WithSharedSettings("workers = 2", "workers = 0");

        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("training.workers: 0"), e.getMessage());
    }

    @Test
    void severalProblemsAreReportedTogether() {
        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(LENET5,
                List.of("training.workers=0", "training.updater=foo", "training.epochs=abc", "training.momentum=1.5")));
        for (String key : List.of("training.workers", "training.updater", "training.epochs", "training.momentum")) {
            assertTrue(e.getMessage().contains(key + ":"), key + " missing from: " + e.getMessage());
        }
    }

    @Test
    void fewerThanTwoClassNamesIsRefused() throws IOException {
        File file = write("one-class.conf", """
                data { train-images = a, train-labels = b, test-images = c, test-labels = d, class-names = [only] }
                """);

        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
        assertTrue(e.getMessage().contains("data.class-names"), e.getMessage());
    }

    @Test
    void unsetDataPathsAreRefused() throws IOException {
        File file = write("no-data.conf", "data.class-names = [a, b]\n");

        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
        for (String key : List.of("data.train-images", "data.train-labels", "data.test-images", "data.test-labels")) {
            assertTrue(e.getMessage().contains(key + ": must be set"), key + " missing from: " + e.getMessage());
        }
    }

    @Test
    void aSubstitutionOfAnUnknownKeyIsAConfigErrorNamingTheFile() throws IOException {
        File file = lenet5WithSharedSettings("${data.dir}\"/t10k-labels", "${data.dri}\"/t10k-labels");

        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("data.dri"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        File missing = dir.resolve("nowhere.conf").toFile();

        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(missing, List.of()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aFileThatIsNotHoconIsNamed() throws IOException {
        File file = write("broken.conf", "training { epochs = 3\n");

        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be parsed"), e.getMessage());
    }

    @Test
    void aSetWithoutAnEqualsSignIsRefused() {
        ConfigError noEquals = assertThrows(ConfigError.class,
                () -> JobConfig.load(LENET5, List.of("training.epochs")));
        assertTrue(noEquals.getMessage().contains("--set training.epochs"), noEquals.getMessage());
        assertTrue(noEquals.getMessage().contains("key=value"), noEquals.getMessage());

        ConfigError noKey = assertThrows(ConfigError.class, () -> JobConfig.load(LENET5, List.of("=3")));
        assertTrue(noKey.getMessage().contains("key=value"), noKey.getMessage());
    }

    @Test
    void everyDeclaredParameterHasADocAndADistinctKey() {
        assertEquals(JobKeys.ALL.all().size(), JobKeys.ALL.keys().stream().distinct().count());
        for (Param<?> p : JobKeys.ALL.all()) {
            assertFalse(p.doc().isBlank(), p.key());
        }
    }

    @Test
    void theParsedJobWritesToJsonGroupedAsTheFileWithChoicesAsWords() throws IOException {
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(JobConfig.load(LENET5,
                List.of()));

        for (String part : List.of("\"training\":{", "\"epochs\":8", "\"updater\":\"adam\"",
                "\"architecture\":\"lenet5\"", "\"data-format\":\"NHWC\"", "\"preprocess\":{", "\"resolved\":")) {
            assertTrue(json.contains(part), part + " in " + json);
        }
    }

    private File write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file.toFile();
    }
}
