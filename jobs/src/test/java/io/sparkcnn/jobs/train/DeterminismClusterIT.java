package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.testing.FashionMnist;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped LeNet-5 job (channels-last layers on oneDNN) with the same seed ends with the same parameters
 * and updater state bit for bit, in local mode twice and on the 2-worker loopback standalone cluster (two
 * executor JVMs), issue 15. The retried-task and resumed cases run in the driver's DeterminismSpec and, on the
 * cluster, in FaultsIT (scripts/faults compares every finished run's hash with the baseline's).
 */
class DeterminismClusterIT {
    private static final File ROOT = new File("..").getAbsoluteFile().toPath().normalize().toFile();
    private static final List<String> JOB = List.of("conf/lenet5-fashion.conf", "--set", "data.train-limit=3000",
            "--set", "data.test-limit=500", "--set", "training.epochs=1", "--set",
            "training.evaluate-every-epoch=false");
    private static Path state;

    @BeforeAll
    static void startCluster() throws Exception {
        FashionMnist.require();
        state = Files.createTempDirectory("spark-cnn-determinism");
        run(List.of("scripts/cluster", "stop"), state.resolve("stop-before.log"), 120);
        run(List.of("scripts/cluster", "start", "--workers", "2", "--cores", "1", "--memory", "3g"),
                state.resolve("start.log"), 300);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (state != null) {
            run(List.of("scripts/cluster", "stop"), state.resolve("stop.log"), 120);
        }
    }

    @Test
    void theSameJobAndSeedGiveTheSameParameterHashInLocalModeAndOnTheCluster(@TempDir Path tmp) throws Exception {
        List<String> hashes = new ArrayList<>();
        for (String how : List.of("local-1", "local-2", "cluster")) {
            Path out = tmp.resolve(how);
            List<String> command = new ArrayList<>(List.of(how.equals("cluster") ? "scripts/submit" : "scripts/train"));
            command.addAll(JOB);
            command.addAll(List.of("--out", out.toString()));
            run(command, tmp.resolve(how + ".log"), 900);
            if (how.equals("cluster")) {
                assertTrue(Files.readString(out.resolve("metrics.json")).contains("spark://127.0.0.1:"),
                        "the cluster run ran on the cluster");
            }
            hashes.add(parameterHash(out.resolve("model.zip")));
        }
        assertEquals(List.of(hashes.get(0), hashes.get(0), hashes.get(0)), hashes,
                "local mode, local mode again, loopback cluster");
    }

    /** SHA-256 of the DL4J entries holding the parameters and the updater state, as scripts/faults takes it. */
    static String parameterHash(Path modelZip) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (ZipFile zip = new ZipFile(modelZip.toFile())) {
            for (String entry : List.of("coefficients.bin", "updaterState.bin")) {
                assertTrue(zip.getEntry(entry) != null, modelZip + " has no " + entry);
                try (InputStream in = zip.getInputStream(zip.getEntry(entry))) {
                    sha.update(in.readAllBytes());
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void run(List<String> command, Path log, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(ROOT).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                    + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + Files.readString(log));
    }
}
