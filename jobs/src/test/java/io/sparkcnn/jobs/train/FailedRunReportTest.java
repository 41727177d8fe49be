package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.engine.DivergedException;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.report.RunReport;
import io.sparkcnn.workers.train.ModelState;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run that fails after its first checkpoint leaves for its report: the error and the curves so far. */
class FailedRunReportTest {
    private static final ConsoleReporter SILENT = new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()));

    @Test
    void aRunThatDivergedInItsSecondEpochReportsTheErrorAndItsFirstEpoch(@TempDir Path tmp) throws Exception {
        JobConfig job = JobConfig.load(TrainJobSpec.CONF, List.of("training.evaluate-every-epoch=false",
                "training.epochs=3"));
        RunListeners run = RunListeners.of(job, SILENT, new CheckpointStore(tmp.resolve("checkpoints"), 2), null);
        List<TrainingListener> listeners = run.inOrder(false, true);
        ModelState state = new ModelState(new float[] {1, 2}, new float[0], 4, 1);
        for (int round = 1; round <= 2; round++) {
            for (TrainingListener l : listeners) {
                l.onRound(new RoundStats(1, 3, round, 2, 2, 256, 1.0 / round, 1_000_000_000L, 800_000_000L, 8,
                        0.01, 1, 0.5, 1), state, new Position(1, round));
            }
        }
        for (TrainingListener l : listeners) {
            l.onEpochEnd(new EpochStats(1, 2, 512, 0.75, 2.0, 0.2), state);
        }
        DivergedException diverged = new DivergedException(2, 1, 1, Double.NaN);

        TrainJob.writeJson(tmp.resolve("metrics.json"), RunMetrics.failed(job, run, null, null, diverged, 0));
        String html = Files.readString(RunReport.write(tmp));

        JsonNode m = new ObjectMapper().readTree(tmp.resolve("metrics.json").toFile());
        assertEquals("failed", m.path("status").asText());
        assertTrue(m.path("error").asText().contains("DivergedException"), m.path("error").asText());
        assertEquals(2, m.path("rounds").path("loss").size());
        assertEquals(0.01, m.path("history").path(0).path("learning_rate").asDouble(), 1e-9);
        assertTrue(html.contains("<dd>failed</dd>") && html.contains("DivergedException"), "the page says so");
        assertTrue(Files.isRegularFile(tmp.resolve("loss.png")), "the curves so far are drawn");
    }
}
