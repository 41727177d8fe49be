package io.sparkcnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.engine.RoundPhases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    @TempDir
    Path dir;

    @Test
    void eachRowGetsItsShareOfTheMeasuredGemmPeakItsRaceResultAndItsAveragingTraffic() throws Exception {
        write("plain/metrics.json", "{\"master\": \"single JVM\", \"train_images_per_second\": 500,"
                + " \"inference_images_per_second\": 2000, \"test_accuracy\": 0.905, \"seconds_to_target\": 120.5}");
        write("engine/metrics.json", "{\"master\": \"local[2]\", \"train_images_per_second\": 450,"
                + " \"test_accuracy\": 0.88, \"not_reached_in_seconds\": 240.2, \"averaging_overhead_share\": 0.1,"
                + " \"bytes_to_workers_per_round\": 10344960, \"bytes_from_workers_per_round\": 10344960}");
        write("gemm.json", "{\"threads\": 2, \"gemm_gflops\": 50.0, \"architecture\": \"lenet5\","
                + " \"forward_multiply_adds_per_image\": 2293000, \"training_flops_per_image\": 13758000,"
                + " \"training_flops_formula\": \"3 x 2 x MACs\"}");
        write("bigger/metrics.json", "{\"master\": \"local[2]\", \"train_images_per_second\": 100,"
                + " \"test_accuracy\": 0.5, \"multiply_adds_per_image\": 4586000}");
        Path json = dir.resolve("bench.json");
        int exit = BenchMain.commandLine().execute("bench-report", "--json", json.toString(), "--gemm",
                dir.resolve("gemm.json").toString(), "a. plain=" + dir.resolve("plain"), "c. engine=" + dir.resolve("engine"),
                "d. missing=" + dir.resolve("missing"), "n. bigger=" + dir.resolve("bigger"));
        assertEquals(0, exit);
        JsonNode out = new ObjectMapper().readTree(json.toFile());
        JsonNode plain = out.get("rows").get(0);
        assertEquals(500.0 * 13758000 / 50e9, plain.get("share_of_gemm_peak").asDouble(), 1e-9);
        // Twice LeNet-5's multiply-adds: twice its FLOPs per image.
        assertEquals(100.0 * 2 * 13758000 / 50e9, out.get("rows").get(3).get("share_of_gemm_peak").asDouble(), 1e-9);
        assertEquals(120.5, plain.get("seconds_to_target").asDouble(), 1e-9);
        JsonNode engine = out.get("rows").get(1);
        assertEquals(0.9, engine.get("ratio_to_reference").asDouble(), 1e-9);
        String md = out.get("markdown").asText();
        assertTrue(md.contains("| 121 s |"), md);
        assertTrue(md.contains("not reached in 240 s"), md);
        assertTrue(md.contains("10.3 / 10.3"), md);
        assertTrue(md.contains("| d. missing | failed: no metrics.json"), md);
    }

    @Test
    void everyEngineRowGetsAColumnOfItsRoundPhasesAfterTheMainTable() throws Exception {
        write("a/metrics.json", "{\"train_images_per_second\": 500, \"test_accuracy\": 0.9}");
        write("c/metrics.json", "{\"train_images_per_second\": 450, \"test_accuracy\": 0.9,"
                + " \"mean_round_seconds\": 0.4, \"round_phases\": {"
                + "\"broadcast\": {\"seconds_per_round\": 0.02, \"share_of_round\": 0.05},"
                + "\"steps\": {\"seconds_per_round\": 0.3, \"share_of_round\": 0.75},"
                + "\"listeners_before\": {\"seconds_per_round\": 0.004, \"share_of_round\": 0.01}}}");
        write("d/metrics.json", "{\"train_images_per_second\": 400, \"test_accuracy\": 0.9,"
                + " \"mean_round_seconds\": 0.5, \"round_phases\": {"
                + "\"broadcast\": {\"seconds_per_round\": 0.05, \"share_of_round\": 0.1},"
                + "\"steps\": {\"seconds_per_round\": 0.3, \"share_of_round\": 0.6}}}");
        Path json = dir.resolve("bench.json");
        int exit = BenchMain.commandLine().execute("bench-report", "--json", json.toString(),
                "a. plain=" + dir.resolve("a"), "c. local=" + dir.resolve("c"), "d. cluster=" + dir.resolve("d"));
        assertEquals(0, exit);
        JsonNode out = new ObjectMapper().readTree(json.toFile());
        assertEquals(0.75, out.get("rows").get(1).get("round_phases").get("steps").get("share_of_round").asDouble(),
                1e-12);
        String md = out.get("markdown").asText();
        int table = md.indexOf("Where a round's time goes");
        assertTrue(table > md.indexOf("| d. cluster |"), "after the main table: " + md);
        String phases = md.substring(table);
        assertTrue(phases.contains("| phase | c | d |\n|---|---:|---:|\n"), "a column per engine row, not a: " + md);
        assertTrue(phases.contains("| round (wall time) | 100% (400.0 ms) | 100% (500.0 ms) |"), md);
        assertTrue(phases.contains("| driver: create (and destroy) the state's broadcast | 5.0% (20.0 ms) |"
                + " 10.0% (50.0 ms) |"), md);
        assertTrue(phases.contains("| task: training steps | 75.0% (300.0 ms) | 60.0% (300.0 ms) |"), md);
        assertTrue(phases.contains("on top of it | 1.0% (4.0 ms) | |"), "a phase a row lacks is blank: " + md);
        assertEquals(BenchReport.PHASES.size() + 3, phases.lines().filter(l -> l.startsWith("|")).count(),
                "header, rule, the round and one line per phase: " + md);
        assertEquals(RoundPhases.NAMES, List.copyOf(BenchReport.PHASES.keySet()), "a line for every phase a round has");
    }

    @Test
    void rowNReportsTheTreesListingCheckEpochSetupAndHeapAgainstItsTargetsAndScoresOnValidation() throws Exception {
        write("n/metrics.json", "{\"master\": \"local[2]\", \"train_images_per_second\": 800,"
                + " \"evaluated_on\": \"validation\", \"validation_accuracy\": 0.42, \"data_load_seconds\": 12.5,"
                + " \"data_distribute_seconds\": 400, \"driver_heap_used_peak_bytes\": 1500000000,"
                + " \"driver_heap_max_bytes\": 2147483648,"
                + " \"history\": [{\"epoch\": 1, \"seconds\": 1600, \"setup_seconds\": 64}]}");
        write("imagenet.json", "{\"train_files\": 1190000, \"val_files\": 10000, \"bytes\": 7000000000}");
        Path json = dir.resolve("bench.json");
        int exit = BenchMain.commandLine().execute("bench-report", "--json", json.toString(), "--imagenet",
                dir.resolve("imagenet.json").toString(), "n. imagenet=" + dir.resolve("n"));
        assertEquals(0, exit);
        JsonNode out = new ObjectMapper().readTree(json.toFile());
        JsonNode n = out.get("imagenet_tree");
        assertEquals(3000, n.get("check_images_per_second").asDouble(), 1e-9);
        assertEquals(0.04, n.get("epoch_setup_share").asDouble(), 1e-9);
        assertEquals(0.42, out.get("rows").get(0).get("test_accuracy").asDouble(), 1e-9);
        String md = out.get("markdown").asText();
        assertTrue(md.contains("0.4200 (validation)"), md);
        assertTrue(md.contains("| 1,200,000, 7.00 GB |"), md);
        assertTrue(md.contains("64.0 s of a 1600 s epoch: 4.0% (target < 5%): met"), md);
        assertTrue(md.contains("1.50 GB of 2.15 GB (target < 2 GB): met"), md);
    }

    @Test
    void theTargetsAreRatiosWithinTheRunAndAnUnfinishedStockRaceGivesOnlyAnUpperBound() throws Exception {
        write("a/metrics.json", "{\"train_images_per_second\": 500, \"test_accuracy\": 0.9,"
                + " \"seconds_to_target\": 400}");
        write("b/metrics.json", "{\"train_images_per_second\": 95, \"test_accuracy\": 0.86,"
                + " \"not_reached_in_seconds\": 800}");
        write("c/metrics.json", "{\"train_images_per_second\": 560, \"test_accuracy\": 0.9,"
                + " \"seconds_to_target\": 300, \"rounds_run\": 900}");
        write("g/metrics.json", "{\"train_images_per_second\": 600, \"test_accuracy\": 0.9,"
                + " \"seconds_to_target\": 240, \"rounds_run\": 500}");
        write("d/metrics.json", "{\"train_images_per_second\": 440, \"test_accuracy\": 0.9,"
                + " \"seconds_to_target\": 440}");
        write("j/metrics.json", "{\"train_images_per_second\": 1000, \"test_accuracy\": 0.9,"
                + " \"seconds_to_target\": 100}");
        Path json = dir.resolve("bench.json");
        int exit = BenchMain.commandLine().execute("bench-report", "--json", json.toString(), "a. plain=" + dir.resolve("a"),
                "b. stock=" + dir.resolve("b"), "c. local=" + dir.resolve("c"), "d. cluster=" + dir.resolve("d"),
                "g. adaptive=" + dir.resolve("g"), "j. pytorch=" + dir.resolve("j"));
        assertEquals(0, exit);
        JsonNode out = new ObjectMapper().readTree(json.toFile());
        JsonNode targets = out.get("targets");
        assertEquals(1.12, targets.get("c_train_speed_vs_plain").asDouble(), 1e-9);
        assertEquals(0.88, targets.get("d_train_speed_vs_plain").asDouble(), 1e-9);
        assertEquals(0.56, targets.get("c_train_speed_vs_pytorch").asDouble(), 1e-9);
        assertEquals(0.375, targets.get("c_time_to_target_vs_stock").asDouble(), 1e-9);
        assertTrue(targets.get("c_time_to_target_vs_stock_is_upper_bound").asBoolean());
        String md = out.get("markdown").asText();
        assertTrue(md.contains("- d/a train img/s: 0.88x (target >= 0.90x): not met"), md);
        assertTrue(md.contains("- c/j train img/s (DL4J against DJL/PyTorch): 0.56x (target >= 0.90x): not met"), md);
        assertTrue(md.contains("- c/b time to the target accuracy: < 0.38x, b had not reached it after 800 s"
                + " (target <= 0.50x): met"), md);
        assertTrue(md.contains("- d/b time to the target accuracy: < 0.55x, b had not reached it after 800 s"
                + " (target <= 0.50x): not shown"), md);
        assertEquals(0.8, targets.get("g_time_to_target_vs_c").asDouble(), 1e-9);
        assertTrue(md.contains("- g/c time to the target accuracy (adaptive against fixed averaging frequency):"
                + " 0.80x; averaging rounds 500 against 900"), md);
    }

    @Test
    void theResNet20PairIsDl4jAgainstPyTorchOnItsOwnNetworkWithItsOwnTarget() throws Exception {
        write("a/metrics.json", "{\"train_images_per_second\": 500, \"test_accuracy\": 0.8}");
        write("j/metrics.json", "{\"train_images_per_second\": 1000, \"test_accuracy\": 0.8}");
        write("s/metrics.json", "{\"train_images_per_second\": 60, \"test_accuracy\": 0.6,"
                + " \"multiply_adds_per_image\": 40718976}");
        write("t/metrics.json", "{\"train_images_per_second\": 80, \"test_accuracy\": 0.6,"
                + " \"multiply_adds_per_image\": 40718976}");
        Path json = dir.resolve("bench.json");
        int exit = BenchMain.commandLine().execute("bench-report", "--json", json.toString(), "a. plain="
                + dir.resolve("a"), "j. pytorch=" + dir.resolve("j"), "s. plain resnet20=" + dir.resolve("s"),
                "t. pytorch resnet20=" + dir.resolve("t"));
        assertEquals(0, exit);
        JsonNode out = new ObjectMapper().readTree(json.toFile());
        assertEquals(0.75, out.get("targets").get("s_train_speed_vs_pytorch").asDouble(), 1e-9);
        assertEquals(0.5, out.get("targets").get("a_train_speed_vs_pytorch").asDouble(), 1e-9);
        String md = out.get("markdown").asText();
        assertTrue(md.contains("- s/t train img/s (DL4J against DJL/PyTorch, ResNet-20): 0.75x (target >= 0.70x):"
                + " met"), md);
        assertTrue(md.contains("- a/j train img/s (DL4J against DJL/PyTorch): 0.50x (target >= 0.90x): not met"), md);
        // Each pair against its own reference only.
        assertTrue(!md.contains("s/j") && !md.contains("a/t"), md);
    }

    @Test
    void theLargerThanMemoryRowIsARatioToTheInMemoryOneWithItsDataSizeAndEachRowsCacheWarnings() throws Exception {
        write("k/metrics.json", "{\"train_images_per_second\": 800, \"test_accuracy\": 0.8,"
                + " \"storage_memory_bytes\": 4600000000}");
        write("l/metrics.json", "{\"train_images_per_second\": 760, \"test_accuracy\": 0.8,"
                + " \"storage_memory_bytes\": 70000000}");
        write("jpegs.json", "{\"size\": \"128x128x3 JPEG\", \"train_images\": 16000, \"train_bytes\": 210000000}");
        write("k.log", "12:00:01 WARN MemoryStore: Not enough space to cache rdd_11_0 in memory!\nepoch 1/2\n"
                + "12:00:02 WARN MemoryStore: Not enough space to cache rdd_11_1 in memory!\n");
        write("l.log", "epoch 1/2  block 1/10\n");
        Path json = dir.resolve("bench.json");
        int exit = BenchMain.commandLine().execute("bench-report", "--json", json.toString(), "--jpegs",
                dir.resolve("jpegs.json").toString(), "--log", "k=" + dir.resolve("k.log"), "--log",
                "l=" + dir.resolve("l.log"), "k. in memory=" + dir.resolve("k"), "l. 3x memory=" + dir.resolve("l"));
        assertEquals(0, exit);
        JsonNode out = new ObjectMapper().readTree(json.toFile());
        assertEquals(0.95, out.get("targets").get("l_train_speed_vs_k").asDouble(), 1e-9);
        assertEquals(3.0, out.get("targets").get("l_data_vs_storage_memory").asDouble(), 1e-9);
        assertEquals(2, out.get("rows").get(0).get("cache_warnings").asInt());
        assertEquals(0, out.get("rows").get(1).get("cache_warnings").asInt());
        String md = out.get("markdown").asText();
        assertTrue(md.contains("- l/k train img/s (training data larger than storage memory against in memory): 0.95x"
                + " (target >= 0.90x): met; training data 210 MB of 128x128x3 JPEG, 3.0x l's storage memory of 70 MB"
                + " (k: 4600 MB); Spark cache warnings: 2 (k), 0 (l)"), md);
    }

    private void write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
