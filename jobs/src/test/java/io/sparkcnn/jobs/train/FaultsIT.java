package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.testing.FashionMnist;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick subset of {@code scripts/faults} on a loopback cluster of its own (ports 7177, 8180, 8181, so it
 * never meets ClusterSpecIT's): an executor killed with {@code kill -9} in the middle of a round, and a driver
 * killed with its newest checkpoint then tampered with before {@code --resume}. Both runs must finish within
 * 1 percentage point of the undisturbed run with the same seed, having trained on every example.
 */
class FaultsIT {
    private static final File ROOT = new File("..").getAbsoluteFile().toPath().normalize().toFile();

    @Test
    void aKilledExecutorAndACorruptCheckpointLoseNoDataAndKeepTheAccuracy(@TempDir Path tmp) throws Exception {
        FashionMnist.require();
        Path out = tmp.resolve("faults");
        Path log = tmp.resolve("faults.log");
        Process p = new ProcessBuilder(new File(ROOT, "scripts/faults").getPath(), "--out", out.toString(),
                "executor-kill", "corrupt-checkpoint")
                .directory(ROOT).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("scripts/faults did not finish in 20 minutes:\n" + Files.readString(log));
        }
        String console = Files.readString(log);
        Map<String, String[]> rows = Files.readAllLines(out.resolve("results.tsv")).stream().skip(1)
                .map(line -> line.split("\t")).collect(Collectors.toMap(r -> r[0], Function.identity()));
        assertEquals(List.of("corrupt-checkpoint", "executor-kill"), rows.keySet().stream().sorted().toList(), console);
        rows.values().forEach(r -> {
            assertEquals("PASS", r[5], String.join(" | ", r) + "\n" + console);
            assertEquals("none", r[4], "data lost: " + String.join(" | ", r));
            assertTrue(r[6].startsWith("equal "), "parameters bit for bit as the baseline's: " + String.join(" | ", r));
        });
        assertEquals(0, p.exitValue(), console);

        ObjectMapper json = new ObjectMapper();
        double base = json.readTree(out.resolve("baseline/metrics.json").toFile()).get("test_accuracy").asDouble();
        assertTrue(base >= 0.6, "an untrained network scores ~0.10; the baseline got " + base);

        JsonNode killed = json.readTree(out.resolve("executor-kill/metrics.json").toFile());
        JsonNode events = killed.get("cluster_events");
        assertFalse(events.get("executors_lost").isEmpty(), "the lost executor is in the report: " + events);
        assertFalse(events.get("tasks_failed").isEmpty(), "the lost tasks are in the report: " + events);
        assertTrue(Math.abs(killed.get("test_accuracy").asDouble() - base) <= 0.01, killed.get("test_accuracy")
                + " vs " + base);
        assertTrue(Files.readString(out.resolve("executor-kill.log")).contains("executor(s) lost"),
                "the console says so too");

        String resumed = Files.readString(out.resolve("corrupt-checkpoint.log"));
        assertTrue(resumed.matches("(?s).*skipped damaged checkpoint: \\S+ckpt-e\\d{4}-b\\d{5}\\.bin: checksum"
                + " mismatch.*"), resumed);
        JsonNode finished = json.readTree(out.resolve("corrupt-checkpoint/metrics.json").toFile());
        assertTrue(Math.abs(finished.get("test_accuracy").asDouble() - base) <= 0.01,
                finished.get("test_accuracy") + " vs " + base);
    }
}
