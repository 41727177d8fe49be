package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.checkpoint.Checkpoint;
import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.checkpoint.ListenerStates;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundPhases;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.schedule.ReduceOnPlateau;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.TaskPhases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each listener of a training job saves its state into a real checkpoint file and, restored from it into a
 * fresh listener, goes on exactly as the listener that never stopped.
 */
class ListenerStateTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ConsoleReporter reporter = new ConsoleReporter(new PrintStream(console, true));

    private static ModelState stateAfter(int epoch) {
        return new ModelState(new float[] {epoch, -epoch, 0.5f}, new float[] {1}, 10 * epoch, epoch);
    }

    private static RoundStats round(int epoch, int unit, double loss) {
        // A round's phases, as a real one has them: 0.2 s broadcast, a 1.7 s job whose slowest task took 1.6 s.
        RoundPhases phases = new RoundPhases(200_000_000L, 1_700_000_000L, 10_000_000L, 50_000_000L,
                unit == 1 ? 0 : 300_000_000L, new TaskPhases(20_000_000L, 30_000_000L, 40_000_000L, 1_400_000_000L,
                60_000_000L, 20_000_000L, 10_000_000L, 1_590_000_000L));
        return new RoundStats(epoch, 5, unit, 2, 2, 128, loss, 2_000_000_000L, 1_500_000_000L, 12, 0.05 / epoch, 1,
                Double.NaN, 1, phases);
    }

    private static EpochStats epoch(int epoch) {
        return new EpochStats(epoch, 2, 256, epoch == 2 ? Double.NaN : 0.5, 4.0, 0.25);
    }

    /** Scores each epoch with the given accuracies, as the run's validation or test set would: 100 real labels. */
    private static EpochEvaluator accuracies(double... perEpoch) {
        return (epoch, state) -> {
            int n = 100;
            int right = (int) Math.round(perEpoch[epoch - 1] * n);
            float[][] labels = new float[n][2];
            float[][] predictions = new float[n][2];
            for (int i = 0; i < n; i++) {
                labels[i][0] = 1;
                predictions[i][i < right ? 0 : 1] = 0.9f;
                predictions[i][i < right ? 1 : 0] = 0.1f;
            }
            Evaluation e = new Evaluation(2);
            e.eval(Nd4j.create(labels), Nd4j.create(predictions));
            return new DistributedEvaluator.Scored(e, 1.0 - perEpoch[epoch - 1]);
        };
    }

    /** The states of {@code listeners} through a checkpoint file written and read back. */
    private ListenerStates throughACheckpoint(Object... listeners) {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 2);
        Path file = store.write(new Checkpoint(new Position(3, 0), 1, stateAfter(2),
                ListenerStates.of(List.of(listeners))));
        return CheckpointStore.readFile(file).listeners();
    }

    @Test
    void theHistoryGoesOnFromItsCheckpointAsIfItHadNeverStopped() {
        RunHistory uninterrupted = new RunHistory();
        for (int e = 1; e <= 2; e++) {
            uninterrupted.onRound(round(e, 1, 1.0 / e), stateAfter(e), new Position(e, 1));
            uninterrupted.onRound(round(e, 2, Double.NaN), stateAfter(e), new Position(e + 1, 0));
            uninterrupted.onEpochEnd(epoch(e), stateAfter(e));
        }
        RunHistory resumed = new RunHistory();
        assertTrue(throughACheckpoint(uninterrupted).restore(resumed));
        assertEquals(uninterrupted.state(), resumed.state(), "NaN losses included");

        for (RunHistory h : List.of(uninterrupted, resumed)) {
            h.onRound(round(3, 1, 0.25), stateAfter(3), new Position(3, 1));
            h.onEpochEnd(epoch(3), stateAfter(3));
        }
        assertEquals(uninterrupted.state(), resumed.state());
        assertEquals(uninterrupted.rows(), resumed.rows());
        assertEquals(3, resumed.epochsRun());
        assertEquals(5 * 128, resumed.examples());
        assertEquals(List.of(1, 2, 1, 2, 1), resumed.rounds().blocksDone());
        List<String> columns = new ArrayList<>();
        new ObjectMapper().valueToTree(resumed.rounds()).fieldNames().forEachRemaining(columns::add);
        assertEquals(List.of("epoch", "blocks_done", "blocks_in_epoch", "loss", "images_per_second", "learning_rate",
                "blocks", "spread", "phase_seconds"), columns, "metrics.json's rounds columns, in their order");
        Map<String, List<Float>> phases = resumed.rounds().phaseSeconds();
        assertEquals(RoundPhases.NAMES, List.copyOf(phases.keySet()), "a column per phase");
        assertEquals(List.of(0.2f, 0.2f, 0.2f, 0.2f, 0.2f), phases.get("broadcast"));
        // The job's 1.7 s less the task's 1.6 s and the driver's merge of 0.01 s.
        assertEquals(0.09f, phases.get("spark").get(0), 1e-6f);
        assertEquals(1.4f, phases.get("steps").get(4), 1e-6f);
        assertEquals(0.05f, phases.get("other").get(0), 1e-6f, "2 s less 0.2 + 1.7 + 0.05 s");
        assertEquals(List.of(0f, 0.3f, 0f, 0.3f, 0f), phases.get("listeners_before"));
    }

    @Test
    void aCheckpointFromBeforeThePhasesWereTimedResumesWithNoPhasesForItsRounds() throws Exception {
        RoundLog.Columns old = new ObjectMapper().readValue("{\"epoch\": [1, 1], \"blocks_done\": [1, 2],"
                + " \"blocks_in_epoch\": [2, 2], \"loss\": [0.5, 0.4], \"images_per_second\": [900.0, 910.0],"
                + " \"learning_rate\": [0.01, 0.01], \"blocks\": [1, 1], \"spread\": [null, null]}",
                RoundLog.Columns.class);
        RoundLog log = new RoundLog();
        log.restore(old);
        log.add(round(2, 1, 0.3));

        Map<String, List<Float>> phases = log.columns().phaseSeconds();
        assertEquals(RoundPhases.NAMES, List.copyOf(phases.keySet()));
        assertEquals(java.util.Arrays.asList(null, null, 1.4f), phases.get("steps"));
        assertThrows(IllegalArgumentException.class, () -> new RoundLog.Columns(List.of(1), List.of(1), List.of(1),
                List.of(0.5f), List.of(1.0), List.of(0.1f), List.of(1), List.of(0.1f),
                Map.of("steps", List.of(1f, 2f))), "a phase column of another length");
    }

    @Test
    void validationKeepsTheBestModelAcrossAResume() {
        Path best = dir.resolve("checkpoints").resolve(RunListeners.BEST_FILE);
        Validation uninterrupted = new Validation(best);
        uninterrupted.attach(accuracies(0.5, 0.7, 0.6));
        uninterrupted.onEpochEnd(epoch(1), stateAfter(1));
        uninterrupted.onEpochEnd(epoch(2), stateAfter(2));

        Validation resumed = new Validation(best);
        resumed.attach(accuracies(0.5, 0.7, 0.6));
        assertTrue(throughACheckpoint(uninterrupted).restore(resumed));
        assertEquals(0.7, resumed.bestAccuracy(), 1e-12);
        assertEquals(2, resumed.bestEpoch());
        assertArrayEquals(stateAfter(2).params(), resumed.bestState().orElseThrow().params(), 0f,
                "the best model comes back from best.bin");

        for (Validation v : List.of(uninterrupted, resumed)) {
            v.onEpochEnd(epoch(3), stateAfter(3));
            assertFalse(v.improvedIn(3));
        }
        assertEquals(uninterrupted.state(), resumed.state());
        assertEquals(0.6, resumed.scoreOf(3).accuracy(), 1e-12);
    }

    @Test
    void aResumeWhoseBestModelFileIsGoneIsRefusedNamingTheFile() throws Exception {
        Path best = dir.resolve("checkpoints").resolve(RunListeners.BEST_FILE);
        Validation first = new Validation(best);
        first.attach(accuracies(0.5));
        first.onEpochEnd(epoch(1), stateAfter(1));
        ListenerStates saved = throughACheckpoint(first);
        Files.delete(best);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> saved.restore(new Validation(best)));
        assertTrue(e.getMessage().contains(best.toString()), e.getMessage());
    }

    @Test
    void earlyStoppingCountsEpochsWithoutImprovementAcrossAResume() {
        Path best = dir.resolve("checkpoints").resolve(RunListeners.BEST_FILE);
        EpochEvaluator scores = accuracies(0.7, 0.6, 0.65);
        Validation validation = new Validation(best);
        validation.attach(scores);
        EarlyStopping stopping = new EarlyStopping(validation, 2);
        for (int e = 1; e <= 2; e++) {
            validation.onEpochEnd(epoch(e), stateAfter(e));
            stopping.onEpochEnd(epoch(e), stateAfter(e));
        }
        assertFalse(stopping.stopRequested(), "one epoch without improvement of the 2 allowed");

        ListenerStates saved = throughACheckpoint(validation, stopping);
        Validation resumedValidation = new Validation(best);
        resumedValidation.attach(scores);
        EarlyStopping resumed = new EarlyStopping(resumedValidation, 2);
        assertTrue(saved.restore(resumedValidation) && saved.restore(resumed));
        assertEquals(new EarlyStopping.State(1), resumed.state());

        resumedValidation.onEpochEnd(epoch(3), stateAfter(3));
        resumed.onEpochEnd(epoch(3), stateAfter(3));
        assertTrue(resumed.stopRequested(), "the second epoch without improvement, counted across the resume");
    }

    @Test
    void earlyStoppingBeforeValidationInTheListIsAnError() {
        Validation validation = new Validation(dir.resolve(RunListeners.BEST_FILE));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EarlyStopping(validation, 2).onEpochEnd(epoch(1), stateAfter(1)));
        assertTrue(e.getMessage().contains("after Validation"), e.getMessage());
    }

    @Test
    void thePlateauScheduleKeepsItsLoweredRateAcrossAResume() {
        Validation validation = new Validation(dir.resolve(RunListeners.BEST_FILE));
        validation.attach(accuracies(0.7, 0.6));
        ReduceOnPlateau schedule = new ReduceOnPlateau(0.1, 0.5, 0.001, 1);
        PlateauFeed feed = new PlateauFeed(validation, schedule, 1, reporter);
        for (int e = 1; e <= 2; e++) {
            validation.onEpochEnd(epoch(e), stateAfter(e));
            feed.onEpochEnd(epoch(e), stateAfter(e));
        }
        assertEquals(0.05, schedule.rate(3, 0), 1e-12);
        assertTrue(console.toString().contains("learning rate now 0.05"), console.toString());

        ReduceOnPlateau resumedSchedule = new ReduceOnPlateau(0.1, 0.5, 0.001, 1);
        assertTrue(throughACheckpoint(feed).restore(new PlateauFeed(validation, resumedSchedule, 1, reporter)));
        assertEquals(schedule.state(), resumedSchedule.state());
        assertEquals(0.05, resumedSchedule.rate(3, 0), 1e-12);
    }

    @Test
    void theTestScoresOfEarlierEpochsComeBackFromTheCheckpoint() {
        Validation none = new Validation(dir.resolve("checkpoints").resolve(RunListeners.BEST_FILE));
        EpochTest uninterrupted = new EpochTest(reporter, 3, none);
        uninterrupted.attach(accuracies(0.4, 0.6, 0.8));
        uninterrupted.onEpochEnd(epoch(1), stateAfter(1));
        uninterrupted.onEpochEnd(epoch(2), stateAfter(2));

        EpochTest resumed = new EpochTest(reporter, 3, none);
        assertTrue(throughACheckpoint(uninterrupted).restore(resumed));
        assertEquals(uninterrupted.state(), resumed.state());
        assertEquals(0.6, resumed.scores().of(2).orElseThrow().accuracy(), 1e-12);
        resumed.onEpochEnd(epoch(3), stateAfter(3));
        assertTrue(resumed.scores().of(3).isEmpty(), "the last epoch is left to the final test");
    }

    @Test
    void withAValidationSetThePerEpochTestAlsoScoresTheLastEpochSinceTheKeptModelMayBeAnEarlierOne() {
        Validation validation = new Validation(dir.resolve("checkpoints").resolve(RunListeners.BEST_FILE));
        validation.attach(accuracies(0.7, 0.6));
        EpochTest test = new EpochTest(reporter, 2, validation);
        test.attach(accuracies(0.5, 0.55));
        for (int e = 1; e <= 2; e++) {
            validation.onEpochEnd(epoch(e), stateAfter(e));
            test.onEpochEnd(epoch(e), stateAfter(e));
        }
        assertEquals(1, validation.bestEpoch(), "validation, not the test set, picked epoch 1");
        assertEquals(0.55, test.scores().of(2).orElseThrow().accuracy(), 1e-12);
    }

    @Test
    void theRollbacksOfTheRunSoFarComeBackFromTheCheckpoint() {
        RollbackLog log = new RollbackLog();
        log.onRollback("training diverged: epoch 1, block 3", 0.1, 1);
        log.onRollback("training diverged: epoch 2, block 1", 0.01, 2);

        RollbackLog resumed = new RollbackLog();
        assertTrue(throughACheckpoint(log).restore(resumed));
        assertEquals(log.rollbacks(), resumed.rollbacks());
        assertEquals(0.01, resumed.rollbacks().get(1).learningRateScale(), 0);
    }

    @Test
    void aListenerTheCheckpointHasNoStateForStartsAfresh() {
        RollbackLog absent = new RollbackLog();
        assertFalse(throughACheckpoint(new RunHistory()).restore(absent));
        assertTrue(absent.rollbacks().isEmpty());
    }
}
