package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.testing.FashionMnist;
import io.sparkcnn.workers.train.ModelState;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Polyak averaging in a real LeNet-5 run in Spark local mode, on 600 Fashion-MNIST images: the model the run
 * keeps is the EMA of the averaged parameters (computed here again from every round's parameters with ND4J),
 * validation picks among EMA weights, and a run resumed mid-epoch ends with the same EMA bit for bit.
 */
class EmaSpec {
    private static final ConsoleReporter SILENT = new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()));
    private static final double DECAY = 0.8;

    /**
     * 540 training images (60 held out) over 2 workers of batch 32, tau 2: 5 rounds an epoch. Checkpoints every 3
     * rounds, so the two kept at the end are epoch 2's at block 4 (mid-epoch) and the run's last.
     */
    private static List<String> job(String... more) {
        List<String> all = new ArrayList<>(List.of("data.train-limit=600", "data.test-limit=200",
                "data.validation-fraction=0.1", "training.averaging-frequency=2", "training.epochs=2",
                "training.checkpoint-every-rounds=3", "training.ema.decay=" + DECAY));
        all.addAll(List.of(more));
        return all;
    }

    @BeforeAll
    static void needsData() {
        FashionMnist.require();
    }

    /** Every round's averaged parameters as the engine hands them to its listeners, by epoch. */
    static final class RoundParams implements RunInstrument {
        final Map<Integer, List<float[]>> byEpoch = new TreeMap<>();

        @Override
        public void attach(ToDoubleFunction<ModelState> testAccuracy) {}

        @Override
        public Map<String, Object> metrics() {
            return Map.of();
        }

        @Override
        public void onRound(RoundStats round, ModelState state, Position next) {
            byEpoch.computeIfAbsent(round.epoch(), e -> new ArrayList<>()).add(state.params().clone());
        }

        /** The EMA after the last round of {@code epoch}, computed with ND4J in double: copy, then move by 1 - decay. */
        float[] emaAfter(int epoch) {
            INDArray ema = null;
            for (Map.Entry<Integer, List<float[]>> e : byEpoch.entrySet()) {
                if (e.getKey() > epoch) {
                    break;
                }
                for (float[] p : e.getValue()) {
                    INDArray params = Nd4j.createFromArray(p).castTo(DataType.DOUBLE);
                    ema = ema == null ? params : ema.mul(DECAY).add(params.mul(1 - DECAY)).castTo(DataType.FLOAT)
                            .castTo(DataType.DOUBLE);
                }
            }
            return ema.castTo(DataType.FLOAT).toFloatVector();
        }
    }

    private static float[] params(Path modelZip) throws Exception {
        return ModelSerializer.restoreMultiLayerNetwork(modelZip.toFile()).params().toFloatVector();
    }

    @Test
    void theKeptModelIsTheEmaOfTheAveragedParametersAtTheBestValidationEpoch(@TempDir Path tmp) throws Exception {
        RoundParams rounds = new RoundParams();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path out = tmp.resolve("run");

        Map<String, Object> metrics = new TrainJob(JobConfig.load(TrainJobSpec.CONF, job()), out, null,
                new ConsoleReporter(new PrintStream(console, true))).instrument(rounds).run();

        assertEquals(5, rounds.byEpoch.get(1).size(), "5 rounds an epoch");
        assertEquals("ema", metrics.get("evaluated_weights"));
        assertEquals(10L, metrics.get("ema_updates"));
        assertEquals("best-validation", metrics.get("kept_model"));
        int best = (Integer) metrics.get("best_epoch");
        float[] kept = params(out.resolve("model.zip"));
        assertArrayEquals(rounds.emaAfter(best), kept, 0f, "model.zip holds the EMA weights of epoch " + best);
        assertArrayEquals(kept, CheckpointStore.readFile(out.resolve("checkpoints/best.bin")).state().params(), 0f,
                "best.bin keeps EMA weights");
        List<float[]> last = rounds.byEpoch.get(2);
        assertFalse(java.util.Arrays.equals(kept, last.get(last.size() - 1)), "not the trained parameters");
        assertArrayEquals(rounds.emaAfter(2), CheckpointStore.readFile(out.resolve("checkpoints/ckpt-e0003-b00000.bin"))
                .listeners().weights("ema").orElseThrow(), 0f, "the last checkpoint holds the run's EMA");
        String printed = console.toString();
        assertTrue(printed.contains("epoch 1: validation accuracy") && printed.contains("EMA weights (decay 0.8)"),
                printed);
        assertTrue(printed.matches("(?s).*test accuracy [0-9.]+ on 200 images \\(the best validation model: .*, EMA"
                + " weights \\(decay 0.8\\)\\).*"), printed);
    }

    @Test
    void aRunResumedMidEpochEndsWithTheSameEmaWeightsBitForBit(@TempDir Path tmp) throws Exception {
        JobConfig config = JobConfig.load(TrainJobSpec.CONF, job());
        Path full = tmp.resolve("full");
        Map<String, Object> uninterrupted = new TrainJob(config, full, null, SILENT).run();

        // A run that stopped in epoch 2 after block 4: its staging folder holds the config, that checkpoint and
        // the best model so far.
        Path stopped = tmp.resolve("stopped");
        Path staging = tmp.resolve(".stopped.incomplete");
        Files.createDirectories(staging.resolve("checkpoints"));
        Files.copy(full.resolve("job.conf"), staging.resolve("job.conf"));
        Path midEpoch = full.resolve("checkpoints/ckpt-e0002-b00004.bin");
        assertTrue(CheckpointStore.readFile(midEpoch).listeners().weights("ema").isPresent(),
                "the mid-epoch checkpoint holds the EMA");
        Files.copy(midEpoch, staging.resolve("checkpoints").resolve(midEpoch.getFileName()));
        Files.copy(full.resolve("checkpoints/best.bin"), staging.resolve("checkpoints/best.bin"));

        Map<String, Object> resumed = TrainJob.resume(stopped, List.of(), null, SILENT).run();

        assertArrayEquals(params(full.resolve("model.zip")), params(stopped.resolve("model.zip")), 0f,
                "the kept EMA weights, bit for bit");
        Path last = Path.of("checkpoints/ckpt-e0003-b00000.bin");
        assertArrayEquals(CheckpointStore.readFile(full.resolve(last)).listeners().weights("ema").orElseThrow(),
                CheckpointStore.readFile(stopped.resolve(last)).listeners().weights("ema").orElseThrow(), 0f,
                "the run's final EMA, bit for bit");
        assertEquals(uninterrupted.get("ema_updates"), resumed.get("ema_updates"));
        assertEquals(uninterrupted.get("test_accuracy"), resumed.get("test_accuracy"));
        assertEquals(uninterrupted.get("best_validation_accuracy"), resumed.get("best_validation_accuracy"));
    }
}
