package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.engine.DivergedException;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.testing.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numerical faults, injected with a learning rate large enough to blow plain SGD up in its first round: the
 * 'stop' policy fails naming the epoch and round, 'rollback' runs the round again at a lower rate and finishes.
 */
class DivergenceSpec {
    private static final List<String> BLOW_UP = List.of("data.train-limit=1280", "data.test-limit=500",
            "training.epochs=1", "training.evaluate-every-epoch=false", "training.updater=sgd",
            "training.learning-rate=1e6", "training.averaging-frequency=5");

    @BeforeAll
    static void needsData() {
        FashionMnist.require();
    }

    @Test
    void aDivergedRoundStopsTheRunNamingEpochAndRound(@TempDir Path tmp) {
        JobConfig job = JobConfig.load(TrainJobSpec.CONF, BLOW_UP);

        DivergedException e = assertThrows(DivergedException.class,
                () -> new TrainJob(job, tmp.resolve("run"), null, new ConsoleReporter(System.out)).run());

        assertTrue(e.getMessage().contains("epoch 1, block 1 "), e.getMessage());
        assertTrue(e.getMessage().contains("training.on-divergence"), "says what to change: " + e.getMessage());
    }

    @Test
    void rollbackRunsTheDivergedRoundAgainAtALowerRateAndFinishes(@TempDir Path tmp) throws Exception {
        List<String> overrides = new ArrayList<>(BLOW_UP);
        overrides.addAll(List.of("training.on-divergence=rollback", "training.divergence-rate-factor=1e-8",
                "training.max-rollbacks=2"));
        JobConfig job = JobConfig.load(TrainJobSpec.CONF, overrides);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path out = tmp.resolve("run");

        new TrainJob(job, out, null, new ConsoleReporter(new PrintStream(console, true))).run();

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode rollbacks = metrics.get("divergence_rollbacks");
        assertEquals(1, rollbacks.size(), "one rollback to 1e-2 is enough: " + rollbacks);
        assertTrue(rollbacks.get(0).get("why").asText().contains("epoch 1, block 1 "), rollbacks.toString());
        assertEquals(1e-8, rollbacks.get(0).get("learning_rate_scale").asDouble(), 1e-20);
        assertTrue(Double.isFinite(metrics.get("history").get(0).get("train_loss").asDouble()));
        assertEquals(1280, metrics.get("examples_trained").asLong(), "the rolled-back round is not counted twice");
        assertTrue(console.toString().contains("rolled back to the parameters before that round"), console.toString());
    }

    @Test
    void anUnknownPolicyOrAFactorOutsideZeroToOneFailsBeforeAnyWork() {
        ConfigError policy = assertThrows(ConfigError.class, () -> JobConfig.load(TrainJobSpec.CONF,
                List.of("training.on-divergence=ignore")));
        assertTrue(policy.getMessage().contains("training.on-divergence: 'ignore' is not one of [stop, rollback]"),
                policy.getMessage());
        ConfigError factor = assertThrows(ConfigError.class, () -> JobConfig.load(TrainJobSpec.CONF,
                List.of("training.divergence-rate-factor=1")));
        assertTrue(factor.getMessage().contains("training.divergence-rate-factor: 1.0 must be in (0, 1)"),
                factor.getMessage());
    }
}
