package io.sparkcnn.jobs.train;

import io.sparkcnn.jobs.cli.Main;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.Rejected;
import io.sparkcnn.workers.testing.FashionMnist;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder and packed-shard jobs of {@code conf/} end to end in local mode, on Fashion-MNIST written out as
 * PNG files with planted bad files: the bad files are reported by path, never trained on, and the network
 * learns from the rest.
 */
class FolderJobsSpec {
    private static final ConsoleReporter SILENT = new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()));
    private static final List<String> SMALL = List.of("training.epochs=2", "training.averaging-frequency=5");

    @TempDir
    static Path tmp;
    static Path tree;

    @BeforeAll
    static void writeTheTree() throws Exception {
        FashionMnist.require();
        tree = tmp.resolve("png");
        assertEquals(0, Main.commandLine().execute("export-images", "--out", tree.toString(), "--train-limit", "2400",
                "--test-limit", "400"));
        Files.writeString(tree.resolve("train/bag/notes.png"), "not an image at all");
        byte[] png = Files.readAllBytes(tree.resolve("train/coat").toFile().listFiles()[0].toPath());
        Files.write(tree.resolve("train/coat/cut-short.png"), java.util.Arrays.copyOf(png, png.length / 2));
    }

    private static Set<String> rejectedNames(Map<String, Object> metrics) {
        return ((List<?>) metrics.get("rejected_files")).stream()
                .map(r -> r instanceof Rejected rejected ? rejected.path() : String.valueOf(((Map<?, ?>) r).get("path")))
                .map(p -> p.substring(p.lastIndexOf('/') + 1)).collect(Collectors.toSet());
    }

    /** Trains {@code conf} with {@code where} set, and checks what every folder-born run must show. */
    private static Map<String, Object> trainReportingThePlantedFiles(String conf, String where, String out) {
        List<String> overrides = new java.util.ArrayList<>(SMALL);
        overrides.add(where);
        JobConfig job = JobConfig.load(new File("../conf/" + conf), overrides);
        Map<String, Object> metrics = new TrainJob(job, tmp.resolve(out), null, SILENT).run();
        assertEquals(Set.of("notes.png", "cut-short.png"), rejectedNames(metrics));
        assertEquals("test", metrics.get("evaluated_on"), "export-images writes a test/ tree");
        double accuracy = (Double) metrics.get("test_accuracy");
        assertTrue(accuracy > 0.6, "far above chance (0.1): " + accuracy);
        return metrics;
    }

    @Test
    void aFolderTreeTrainsAndItsBadFilesAreReportedByName() {
        Map<String, Object> metrics = trainReportingThePlantedFiles("fashion-folder.conf", "data.root=" + tree,
                "folder-run");
        assertTrue(((Number) metrics.get("examples_trained")).longValue() > 0);
    }

    @Test
    void aTreeWithTrainAndValButNoTestReportsValidationNumbersNeverTestOnes() throws Exception {
        Path trainVal = tmp.resolve("train-val");
        assertEquals(0, Main.commandLine().execute("export-images", "--out", trainVal.toString(), "--train-limit",
                "600", "--test-limit", "200"));
        Files.move(trainVal.resolve("test"), trainVal.resolve("val"));
        JobConfig job = JobConfig.load(new File("../conf/fashion-folder.conf"), List.of("data.root=" + trainVal,
                "data.validation-fraction=0", "training.epochs=2", "training.averaging-frequency=5",
                "training.evaluate-every-epoch=true"));
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        Path out = tmp.resolve("train-val-run");

        Map<String, Object> metrics = new TrainJob(job, out, null, new ConsoleReporter(new PrintStream(console,
                true))).run();

        assertEquals("validation", metrics.get("evaluated_on"));
        assertEquals(200L, ((Number) metrics.get("validation_images")).longValue());
        assertTrue((Double) metrics.get("validation_accuracy") > 0.2, "above chance: " + metrics);
        assertEquals("best-validation", metrics.get("kept_model"), "val/ picks the model");
        for (String key : metrics.keySet()) {
            assertFalse(key.startsWith("test_"), "no test set, so no test number: " + key);
        }
        for (Object row : (List<?>) metrics.get("history")) {
            assertTrue(((Map<?, ?>) row).containsKey("validation_accuracy"), "val/ is validated every epoch");
            assertFalse(((Map<?, ?>) row).containsKey("test_accuracy"), row.toString());
        }
        String printed = console.toString();
        assertFalse(printed.contains("test accuracy"), printed);
        assertTrue(printed.contains("validation accuracy"), printed);
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(page.contains("validation accuracy") && page.contains("<h2>Validation (no test set)</h2>"),
                "the report says which split its numbers come from");
        assertFalse(page.contains("test accuracy</"), "no number in the report is called test accuracy");
    }

    @Test
    void packedShardsOfTheTreeTrainLikeTheTree() {
        Path shards = tmp.resolve("shards");
        assertEquals(0, Main.commandLine().execute("prepare", "--root", tree.toString(), "--out", shards.toString(),
                "--channels", "1", "--validation", "0.05", "--shards", "3"));
        Map<String, Object> metrics = trainReportingThePlantedFiles("fashion-shards.conf", "data.shards=" + shards,
                "shards-run");
        assertTrue(metrics.get("best_validation_accuracy") != null, "the manifest's val split validates");
    }
}
