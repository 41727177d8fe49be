package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.testing.FashionMnist;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.zip.ZipFile;
import java.util.HexFormat;
import java.security.MessageDigest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1 (one master, two workers, started by {@code scripts/cluster}
 * from the Maven-resolved Spark jars) trains LeNet-5 through {@code scripts/submit}, i.e. SparkSubmit and the
 * application jar. The cluster is stopped afterwards, also when the test fails.
 */
class ClusterSpecIT {
    private static final File ROOT = new File("..").getAbsoluteFile().toPath().normalize().toFile();
    private static final List<String> DETERMINISM_JOB = List.of("conf/lenet5-fashion.conf", "--set",
            "data.train-limit=3000", "--set", "data.test-limit=500", "--set", "training.epochs=1", "--set",
            "training.evaluate-every-epoch=false");
    private static Path state;

    @BeforeAll
    static void startCluster() throws Exception {
        FashionMnist.require();
        state = Files.createTempDirectory("spark-cnn-cluster");
        // A run killed hard may have left a cluster behind; start refuses to start a second one.
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
    void twoWorkerClusterTrainsLeNet5ThroughSparkSubmit(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        run(List.of("scripts/submit", "conf/lenet5-fashion.conf",
                "--set", "data.train-limit=6000", "--set", "data.test-limit=2000", "--set", "training.epochs=2",
                "--set", "training.evaluate-every-epoch=false", "--out", out.toString()),
                tmp.resolve("submit.log"), 900);

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        double accuracy = metrics.get("test_accuracy").asDouble();
        assertTrue(metrics.get("master").asText().startsWith("spark://127.0.0.1:"), metrics.get("master").asText());
        assertTrue(accuracy >= 0.72, "an untrained network scores ~0.10; got " + accuracy);
        assertEquals(12000, metrics.get("examples_trained").asLong(), "every example once per epoch");
        assertTrue(Files.isRegularFile(out.resolve("model.zip")));
    }

    @Test
    void twoWorkerClusterTrainsFromAFolderTreeAndFromItsPackedShards(@TempDir Path tmp) throws Exception {
        Path tree = tmp.resolve("png");
        Path shards = tmp.resolve("shards");
        run(List.of("scripts/train", "export-images", "--out", tree.toString(), "--train-limit", "3000",
                "--test-limit", "500"), tmp.resolve("export.log"), 300);
        run(List.of("scripts/train", "prepare", "--root", tree.toString(), "--out", shards.toString(), "--channels",
                "1", "--validation", "0.05", "--shards", "4"), tmp.resolve("prepare.log"), 600);

        for (String job : List.of("fashion-folder", "fashion-shards")) {
            Path out = tmp.resolve(job);
            run(List.of("scripts/submit", "conf/" + job + ".conf", "--set", "data.root=" + tree, "--set",
                    "data.shards=" + shards, "--set", "training.epochs=2", "--out", out.toString()),
                    tmp.resolve(job + ".log"), 900);
            JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
            assertTrue(metrics.get("master").asText().startsWith("spark://127.0.0.1:"), job);
            double accuracy = metrics.get("test_accuracy").asDouble();
            assertTrue(accuracy >= 0.6, job + ": an untrained network scores ~0.10; got " + accuracy);
        }
    }

    /**
     * The shipped LeNet-5 job (channels-last layers on oneDNN) with the same seed ends with the same parameters
     * and updater state bit for bit, in local mode twice and on this 2-worker cluster (two executor JVMs), there
     * with the tree exchange and with the barrier exchange (the workers' sealed mesh). The
     * retried-task and resumed cases run in the driver's DeterminismSpec and, on a cluster, in FaultsIT.
     */
    @Test
    void theSameJobAndSeedGiveTheSameParameterHashInLocalModeAndOnTheCluster(@TempDir Path tmp) throws Exception {
        List<String> hashes = new ArrayList<>();
        for (String how : List.of("local-1", "local-2", "cluster", "cluster-barrier")) {
            Path out = tmp.resolve(how);
            boolean cluster = how.startsWith("cluster");
            List<String> command = new ArrayList<>(List.of(cluster ? "scripts/submit" : "scripts/train"));
            command.addAll(DETERMINISM_JOB);
            if (how.equals("cluster-barrier")) {
                // The workers average among themselves over their mesh, sealed: this cluster encrypts Spark's traffic.
                command.addAll(List.of("--set", "training.exchange=barrier"));
            }
            command.addAll(List.of("--out", out.toString()));
            run(command, tmp.resolve(how + ".log"), 900);
            if (cluster) {
                assertTrue(Files.readString(out.resolve("metrics.json")).contains("spark://127.0.0.1:"),
                        "the cluster run ran on the cluster");
            }
            if (how.equals("cluster-barrier")) {
                // One round as the driver sees it: the epoch's 5 blocks, trained and averaged inside the tasks.
                String log = Files.readString(tmp.resolve(how + ".log"));
                assertTrue(log.contains("round of 5 blocks"), "the epoch ran as one barrier stage:\n" + log);
            }
            hashes.add(parameterHash(out.resolve("model.zip")));
        }
        assertEquals(List.of(hashes.get(0), hashes.get(0), hashes.get(0), hashes.get(0)), hashes,
                "local mode, local mode again, loopback cluster, loopback cluster with the barrier exchange");
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

    private static void run(List<String> command, Path log, int timeoutSeconds) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        cmd.set(0, new File(ROOT, command.get(0)).getPath());
        Process p = new ProcessBuilder(cmd).directory(ROOT).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s; its output:\n"
                    + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited with " + p.exitValue() + "; its output:\n"
                    + Files.readString(log));
        }
    }
}
