package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.testing.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LeNet-5 job end to end in Spark local mode, on a subset of the real Fashion-MNIST. */
public class TrainJobSpec {
    public static final File CONF = new File("../conf/lenet5-fashion.conf");
    private static final ConsoleReporter SILENT = new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()));

    @BeforeAll
    static void needsData() {
        FashionMnist.require();
    }

    @Test
    void leNet5LearnsFashionMnistFarBeyondChanceAndWritesALoadableModel(@TempDir Path tmp) throws Exception {
        // training.evaluate-every-epoch left at its default: the test set is scored once, at the end.
        JobConfig job = JobConfig.load(CONF, List.of("data.train-limit=8000", "data.test-limit=2000",
                "training.epochs=2"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path out = tmp.resolve("run");

        new TrainJob(job, out, null, new ConsoleReporter(new PrintStream(console, true))).run();

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        double accuracy = metrics.get("test_accuracy").asDouble();
        assertTrue(accuracy >= 0.75, "an untrained network scores ~0.10; got " + accuracy);
        assertEquals(2, metrics.get("epochs").asInt());
        assertTrue(metrics.get("train_images_per_second").asDouble() > 0);
        assertTrue(metrics.get("wall_seconds").asDouble() > 0);
        assertEquals(2, metrics.get("history").size());
        assertEquals(16000, metrics.get("examples_trained").asLong(), "every example once per epoch");
        assertEquals("test", metrics.get("evaluated_on").asText());
        assertEquals(2000, metrics.get("test_images").asInt());
        metrics.get("history").forEach(row -> assertFalse(row.has("test_accuracy"),
                "no epoch is scored on the test set by default: " + row));

        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile());
        assertEquals(431_080, restored.numParams(), "LeNet-5 (Caffe form) for 28x28x1 and 10 classes");
        String printed = console.toString();
        assertTrue(printed.contains("block 1/"), "a progress line per round:\n" + printed);
        assertTrue(printed.contains("Ankle boot"), "the confusion matrix names the classes:\n" + printed);
        assertEquals(1, printed.split("test accuracy", -1).length - 1, "one test score, the final one:\n" + printed);
        assertFalse(Files.exists(tmp.resolve(".run.incomplete")), "no staging folder is left behind");
    }

    @Test
    void aMissingDataFileStopsBeforeTrainingAndWritesNothing(@TempDir Path tmp) {
        JobConfig job = JobConfig.load(CONF, List.of("data.dir=" + tmp.resolve("nowhere")));
        Path out = tmp.resolve("run");

        DataException e = assertThrows(DataException.class,
                () -> new TrainJob(job, out, null, new ConsoleReporter(System.out)).run());

        assertTrue(e.getMessage().contains(tmp.resolve("nowhere").toString()), e.getMessage());
        assertFalse(Files.exists(out), "nothing is written to the output folder");
        assertFalse(Files.exists(tmp.resolve(".run.incomplete")), "nor its staging folder");
    }

    @Test
    void aNonEmptyOutputFolderIsRefusedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "earlier results");
        JobConfig job = JobConfig.load(CONF, List.of());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainJob(job, tmp, null, new ConsoleReporter(System.out)).run());

        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
        assertEquals("earlier results", Files.readString(tmp.resolve("keep.txt")));
    }

    private static final List<String> SMALL = List.of("data.train-limit=3000", "data.test-limit=500",
            "training.averaging-frequency=5");

    private static List<String> small(String... more) {
        List<String> all = new java.util.ArrayList<>(SMALL);
        all.addAll(List.of(more));
        return all;
    }

    private static float[] params(Path modelZip) throws Exception {
        return ModelSerializer.restoreMultiLayerNetwork(modelZip.toFile()).params().toFloatVector();
    }

    private static Map<String, Object> quietly(TrainJob job) {
        return job.run();
    }

    @Test
    void aRunResumedFromItsFirstEpochCheckpointEndsWithTheSameModelAsTheUninterruptedRun(@TempDir Path tmp)
            throws Exception {
        JobConfig job = JobConfig.load(CONF, small("training.epochs=2", "data.validation-fraction=0.1"));
        Path full = tmp.resolve("full");
        Map<String, Object> uninterrupted = quietly(new TrainJob(job, full, null, SILENT));

        // A run that stopped after epoch 1: its staging folder holds the config and that epoch's checkpoint.
        Path stopped = tmp.resolve("stopped");
        Path staging = tmp.resolve(".stopped.incomplete");
        Files.createDirectories(staging.resolve("checkpoints"));
        Files.copy(full.resolve("job.conf"), staging.resolve("job.conf"));
        Files.copy(full.resolve("checkpoints/ckpt-e0002-b00000.bin"), staging.resolve("checkpoints/ckpt-e0002-b00000.bin"));
        Files.copy(full.resolve("checkpoints/best.bin"), staging.resolve("checkpoints/best.bin"));

        Map<String, Object> resumed = quietly(TrainJob.resume(stopped, List.of(), null, SILENT));

        assertArrayEquals(params(full.resolve("model.zip")), params(stopped.resolve("model.zip")), 1e-5f);
        assertEquals(uninterrupted.get("test_accuracy"), resumed.get("test_accuracy"));
        assertEquals(2, ((List<?>) resumed.get("history")).size(), "epoch 1 from the checkpoint, epoch 2 run again");
        assertEquals(uninterrupted.get("examples_trained"), resumed.get("examples_trained"));
    }

    @Test
    void anAdaptiveRunTrainsOnEveryExampleOncePerEpochAndResumesMidEpochToTheSameModel(@TempDir Path tmp)
            throws Exception {
        // Thresholds no spread gets past: k doubles after every round, up to 4. 3,000 examples over 2 workers of
        // batch 32 and tau 5 are 10 blocks an epoch: rounds of 1, 2, 4, 3 blocks, then 4, 4, 2. Checkpoints every
        // 2 rounds; the two kept are the epoch-2 one at block 8 (k = 4, 2 blocks left) and the run's last.
        JobConfig job = JobConfig.load(CONF, small("training.epochs=2", "training.averaging=adaptive",
                "training.adaptive-averaging.max-multiple=4", "training.adaptive-averaging.low=1e9",
                "training.adaptive-averaging.high=2e9", "training.checkpoint-every-rounds=2"));
        Path full = tmp.resolve("full");
        Map<String, Object> uninterrupted = quietly(new TrainJob(job, full, null, SILENT));

        assertEquals(6000L, ((Number) uninterrupted.get("examples_trained")).longValue(),
                "every example once per epoch");
        JsonNode rounds = new ObjectMapper().readTree(full.resolve("metrics.json").toFile()).get("rounds");
        assertEquals("[1,2,4,3,4,4,2]", rounds.get("blocks").toString());
        assertEquals("[1,3,7,10,4,8,10]", rounds.get("blocks_done").toString(), "the epoch's blocks done");
        rounds.get("spread").forEach(v -> assertTrue(v.asDouble() > 0, "a measured spread: " + rounds));

        Path stopped = tmp.resolve("stopped");
        Path staging = tmp.resolve(".stopped.incomplete");
        Files.createDirectories(staging.resolve("checkpoints"));
        Files.copy(full.resolve("job.conf"), staging.resolve("job.conf"));
        Files.copy(full.resolve("checkpoints/ckpt-e0002-b00008.bin"),
                staging.resolve("checkpoints/ckpt-e0002-b00008.bin"));

        Map<String, Object> resumed = quietly(TrainJob.resume(stopped, List.of(), null, SILENT));

        assertArrayEquals(params(full.resolve("model.zip")), params(stopped.resolve("model.zip")), 1e-5f);
        assertEquals(uninterrupted.get("examples_trained"), resumed.get("examples_trained"));
        JsonNode resumedRounds = new ObjectMapper().readTree(stopped.resolve("metrics.json").toFile()).get("rounds");
        assertEquals(rounds.get("blocks"), resumedRounds.get("blocks"), "the last round again covers 2 blocks");
    }

    @Test
    void theBestValidationModelIsKeptAndEarlyStoppingEndsARunThatNoLongerImproves(@TempDir Path tmp)
            throws Exception {
        // Epoch 1 learns; from epoch 2 the rate is 0, so validation cannot improve and patience 2 stops at epoch 3.
        JobConfig job = JobConfig.load(CONF, small("training.epochs=6", "data.validation-fraction=0.1",
                "training.early-stopping-patience=2", "training.schedule=step", "training.decay-epochs=[2]",
                "training.decay-factor=0"));
        Path out = tmp.resolve("run");

        Map<String, Object> metrics = quietly(new TrainJob(job, out, null, SILENT));

        assertEquals(true, metrics.get("stopped_early"));
        assertEquals(3, metrics.get("epochs_run"));
        assertEquals(1, metrics.get("best_epoch"));
        List<Map<String, Object>> history = (List<Map<String, Object>>) metrics.get("history");
        double best = history.stream().mapToDouble(r -> (Double) r.get("validation_accuracy")).max().orElseThrow();
        assertEquals(best, (Double) metrics.get("best_validation_accuracy"), 0);
        float[] kept = io.sparkcnn.driver.checkpoint.CheckpointStore.readFile(out.resolve("checkpoints/best.bin"))
                .state().params();
        assertArrayEquals(kept, params(out.resolve("model.zip")), 0f, "model.zip holds the best epoch's parameters");
    }

    @Test
    void aRunWithLabelSmoothingMixupAndCutmixIsReproducedBitForBitAndDiffersFromARunWithout(@TempDir Path tmp)
            throws Exception {
        List<String> recipe = small("training.epochs=1", "data.train-limit=1200", "training.label-smoothing=0.1",
                "training.mixup.alpha=0.4", "training.cutmix.alpha=1", "training.cutmix.p=0.5");
        Map<String, Object> first = quietly(new TrainJob(JobConfig.load(CONF, recipe), tmp.resolve("a"), null, SILENT));
        quietly(new TrainJob(JobConfig.load(CONF, recipe), tmp.resolve("b"), null, SILENT));
        quietly(new TrainJob(JobConfig.load(CONF, small("training.epochs=1", "data.train-limit=1200")),
                tmp.resolve("off"), null, SILENT));

        assertArrayEquals(params(tmp.resolve("a/model.zip")), params(tmp.resolve("b/model.zip")), 0f,
                "every mix is drawn from the seed, epoch, block and worker");
        assertFalse(java.util.Arrays.equals(params(tmp.resolve("a/model.zip")), params(tmp.resolve("off/model.zip"))),
                "the recipe reaches the training task");
        assertEquals(1200L, ((Number) first.get("examples_trained")).longValue());
        assertTrue((Double) first.get("test_accuracy") > 0.3, "it still learns: " + first.get("test_accuracy"));
    }

    @Test
    void fineTuningReplacesTheOutputLayerAndLeavesTheFrozenLayersUnchanged(@TempDir Path tmp) throws Exception {
        JobConfig base = JobConfig.load(CONF, small("training.epochs=1"));
        Path first = tmp.resolve("base");
        quietly(new TrainJob(base, first, null, SILENT));
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(first.resolve("model.zip").toFile());

        JobConfig tune = JobConfig.load(CONF, small("training.epochs=1", "model.finetune-from=" + first.resolve("model.zip"),
                "model.freeze-layers=3", "training.learning-rate=0.01"));
        Path tuned = tmp.resolve("tuned");
        quietly(new TrainJob(tune, tuned, null, SILENT));
        MultiLayerNetwork result = ModelSerializer.restoreMultiLayerNetwork(tuned.resolve("model.zip").toFile());

        for (int layer : new int[] {0, 2}) {
            assertArrayEquals(saved.getLayer(layer).params().toFloatVector(), result.getLayer(layer).params().toFloatVector(),
                    0f, "frozen layer " + layer);
        }
        assertFalse(java.util.Arrays.equals(saved.getLayer(4).params().toFloatVector(),
                result.getLayer(4).params().toFloatVector()), "fc1 (layer 4) is trained");
        assertEquals(saved.numParams(), result.numParams());
    }
}
