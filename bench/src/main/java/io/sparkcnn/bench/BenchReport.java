package io.sparkcnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Gathers the benchmark's runs (each a {@code metrics.json}) into one markdown table and {@code bench.json},
 * with every row's speed as a ratio to the first row (plain DL4J, the ceiling) measured in the same run.
 */
@Command(name = "bench-report", mixinStandardHelpOptions = true,
        description = "Print the benchmark table from runs' metrics.json and write bench.json.")
final class BenchReport implements Callable<Integer> {
    /** What Spark's MemoryStore logs when a block it was asked to cache does not fit. */
    static final String CACHE_WARNING = "Not enough space to cache";

    @Parameters(paramLabel = "LABEL=DIR", description = "A row's label and its run folder; the first is the"
            + " reference for the ratios.")
    List<String> rows;

    @Option(names = "--json", required = true, paramLabel = "FILE")
    File json;

    @Option(names = "--gemm", paramLabel = "FILE", description = "bench-gemm's JSON: the GEMM ceiling and the"
            + " training FLOPs per image, for the fraction of peak.")
    File gemm;

    @Option(names = "--pipeline", paramLabel = "FILE", description = "bench-pipeline's JSON, for the image"
            + " pipeline's table.")
    File pipeline;

    @Option(names = "--ml", paramLabel = "FILE", description = "bench-ml's JSON (row m), for the Spark ML table.")
    File ml;

    @Option(names = "--jpegs", paramLabel = "FILE", description = "bench-jpegs' JSON: the size of the"
            + " larger-than-memory rows' data (k and l).")
    File jpegs;

    @Option(names = "--imagenet", paramLabel = "FILE", description = "imagenet-tree's JSON: the tree of row n.")
    File imagenet;

    @Option(names = "--log", paramLabel = "LETTER=FILE", description = "A row's console log, whose Spark"
            + " \"Not enough space to cache\" warnings the row reports (repeatable).")
    Map<String, File> logs = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<Map<String, Object>> table = new ArrayList<>();
        double reference = Double.NaN;
        StringBuilder md = new StringBuilder();
        Map<String, JsonNode> byLetter = new LinkedHashMap<>();
        JsonNode peak = gemm != null && gemm.isFile() ? mapper.readTree(gemm) : null;
        double flopsPerImage = peak == null ? Double.NaN : peak.get("training_flops_per_image").asDouble();
        double peakFlops = peak == null ? Double.NaN : peak.get("gemm_gflops").asDouble() * 1e9;
        md.append("| row | master | train img/s | vs plain DL4J | % of GEMM peak | inference img/s | time to target"
                + " | test accuracy | averaging overhead | MB per round to / from workers |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String row : rows) {
            int eq = row.indexOf('=');
            String label = row.substring(0, eq);
            File metricsFile = new File(row.substring(eq + 1), "metrics.json");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("row", label);
            if (!metricsFile.isFile()) {
                r.put("error", "no " + metricsFile + ": the run failed, see its log");
                md.append(String.format(Locale.ROOT, "| %s | failed: no metrics.json | | | | | | | | |%n", label));
                table.add(r);
                continue;
            }
            JsonNode m = mapper.readTree(metricsFile);
            byLetter.put(label.substring(0, 1), m);
            File log = logs.get(label.substring(0, 1));
            if (log != null && log.isFile()) {
                long warnings;
                try (var lines = Files.lines(log.toPath())) {
                    warnings = lines.filter(line -> line.contains(CACHE_WARNING)).count();
                }
                r.put("cache_warnings", warnings);
                ((ObjectNode) m).put("cache_warnings", warnings);
            }
            double speed = m.get("train_images_per_second").asDouble();
            if (Double.isNaN(reference)) {
                reference = speed;
            }
            double inference = m.path("inference_images_per_second").asDouble(Double.NaN);
            // A row of another network than the GEMM run's (row n) is scaled by its own multiply-adds, with the
            // same formula (training FLOPs = 6 x forward multiply-adds).
            double rowFlops = flopsPerImage;
            if (peak != null && m.hasNonNull("multiply_adds_per_image")
                    && m.get("multiply_adds_per_image").asLong() != peak.get("forward_multiply_adds_per_image").asLong()) {
                rowFlops = flopsPerImage * m.get("multiply_adds_per_image").asDouble()
                        / peak.get("forward_multiply_adds_per_image").asDouble();
            }
            double peakShare = speed * rowFlops / peakFlops;
            r.put("master", m.path("master").asText());
            r.put("train_images_per_second", speed);
            r.put("ratio_to_reference", speed / reference);
            r.put("inference_images_per_second", inference);
            r.put("share_of_gemm_peak", peakShare);
            // A tree with val/ and no test/ is scored on val/ (row n): its column says so.
            String heldOut = m.path("evaluated_on").asText("test");
            r.put("evaluated_on", heldOut);
            r.put("test_accuracy", m.path(heldOut + "_accuracy").asDouble(Double.NaN));
            r.put("training_seconds", m.path("training_seconds").asDouble());
            r.put("wall_seconds", m.path("wall_seconds").asDouble());
            for (String key : List.of("seconds_to_target", "not_reached_in_seconds", "target_accuracy",
                    "averaging_overhead_share", "mean_round_seconds", "bytes_to_workers_per_round",
                    "bytes_from_workers_per_round", "rounds_run")) {
                if (m.hasNonNull(key)) {
                    r.put(key, m.get(key).isNumber() ? m.get(key).numberValue() : m.get(key).asText());
                }
            }
            if (m.hasNonNull("round_phases")) {
                r.put("round_phases", mapper.convertValue(m.get("round_phases"), Map.class));
            }
            table.add(r);
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2fx | %s | %s | %s | %.4f%s | %s | %s |%n",
                    label, r.get("master"), speed, speed / reference,
                    Double.isNaN(peakShare) ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * peakShare),
                    Double.isNaN(inference) ? "" : String.format(Locale.ROOT, "%,.0f", inference),
                    timeToTarget(m), r.get("test_accuracy"), heldOut.equals("test") ? "" : " (" + heldOut + ")",
                    m.hasNonNull("averaging_overhead_share")
                            ? String.format(Locale.ROOT, "%.1f%%", 100 * m.get("averaging_overhead_share").asDouble()) : "",
                    m.hasNonNull("bytes_to_workers_per_round")
                            ? String.format(Locale.ROOT, "%.1f / %.1f", m.get("bytes_to_workers_per_round").asDouble() / 1e6,
                                    m.get("bytes_from_workers_per_round").asDouble() / 1e6) : ""));
        }
        if (peak != null) {
            md.append(String.format(Locale.ROOT, "%nCompute ceiling measured in this run: float32 GEMM %.1f GFLOP/s"
                            + " (ND4J, %d thread(s)); %s training costs %.2f MFLOP per image (%s: %,d)."
                            + " %% of GEMM peak = train img/s x FLOP per image / GEMM FLOP/s.%n",
                    peak.get("gemm_gflops").asDouble(), peak.get("threads").asInt(), peak.get("architecture").asText(),
                    flopsPerImage / 1e6, peak.get("training_flops_formula").asText() + ", forward multiply-adds",
                    peak.get("forward_multiply_adds_per_image").asLong()));
        }
        roundPhases(byLetter, md);
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Double> speeds = new LinkedHashMap<>();
        table.forEach(r -> speeds.put(String.valueOf(r.get("row")).substring(0, 2),
                (Double) r.getOrDefault("train_images_per_second", Double.NaN)));
        if (speeds.containsKey("c.") && speeds.containsKey("e.")) {
            double cost = 1 - speeds.get("e.") / speeds.get("c.");
            out.put("augmentation_training_cost", cost);
            md.append(String.format(Locale.ROOT, "%nTraining with augmentation (e) against without (c): %.1f%% %s.%n",
                    100 * Math.abs(cost), cost >= 0 ? "slower" : "faster"));
        }
        Map<String, Object> targets = targets(byLetter, jpegs != null && jpegs.isFile() ? mapper.readTree(jpegs)
                : null, md);
        if (!targets.isEmpty()) {
            out.put("targets", targets);
        }
        if (peak != null) {
            out.put("gemm", mapper.convertValue(peak, Map.class));
        }
        if (pipeline != null && pipeline.isFile()) {
            JsonNode p = mapper.readTree(pipeline);
            out.put("pipeline", mapper.convertValue(p, Map.class));
            md.append(String.format(Locale.ROOT, "%n| image pipeline, 1 core | images/s |%n|---|---:|%n"
                            + "| decode 224x224 RGB JPEG | %,.0f |%n| decode + %s | %,.0f |%n",
                    p.get("decode_images_per_second_per_core").asDouble(), p.get("augmentation").asText(),
                    p.get("decode_augment_images_per_second_per_core").asDouble()));
        }
        if (ml != null && ml.isFile()) {
            JsonNode m = mapper.readTree(ml);
            out.put("spark_ml", mapper.convertValue(m, Map.class));
            md.append(String.format(Locale.ROOT, "%n| m. %s, %d epoch, local mode | train img/s | test accuracy |"
                            + "%n|---|---:|---:|%n| scripts/train, folder source | %,.0f | %.4f |"
                            + "%n| Pipeline(StringIndexer, CnnClassifier), binaryFile rows | %,.0f (%.2fx) | %.4f |%n",
                    m.path("images").asText(), m.path("epochs").asInt(),
                    m.path("cli").path("train_images_per_second").asDouble(),
                    m.path("cli").path("test_accuracy").asDouble(),
                    m.path("spark_ml").path("train_images_per_second").asDouble(),
                    m.path("spark_ml_over_cli").asDouble(), m.path("spark_ml").path("test_accuracy").asDouble()));
        }
        JsonNode n = byLetter.get("n");
        if (n != null) {
            out.put("imagenet_tree", imageNetRow(n, imagenet != null && imagenet.isFile() ? mapper.readTree(imagenet)
                    : null, md));
        }
        System.out.print(md);
        out.put("rows", table);
        out.put("markdown", md.toString());
        mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValue(json, out);
        System.out.println("wrote " + json);
        return 0;
    }

    /** What each phase of {@code RoundPhases.NAMES} covers, as the per-phase table words it. */
    static final Map<String, String> PHASES = phases();

    private static Map<String, String> phases() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("broadcast", "driver: create (and destroy) the state's broadcast");
        p.put("spark", "Spark: scheduling, task launch, closure and result (de)serialisation and transfer");
        p.put("state_fetch", "task: fetch and deserialise the broadcast state");
        p.put("state_load", "task: load the state into the cached network");
        p.put("first_batch", "task: wait for the round's first minibatch (shuffle read, decode)");
        p.put("steps", "task: training steps");
        p.put("batch_wait", "task: wait for later minibatches (prefetch starvation)");
        p.put("result", "task: extract the change to return");
        p.put("partial_sum", "task: add it into the partition's partial sum");
        p.put("task_other", "task: the rest (thread limits, seeding, the cached network)");
        p.put("driver_merge", "driver: merge the partial sums in order");
        p.put("averaging", "driver: average, spread and divergence checks");
        p.put("other", "driver: the rest of the round");
        p.put("listeners_before", "listeners after a round (checkpoints, progress, evaluations): on top of it");
        return p;
    }

    /**
     * The per-phase table: for every engine row with {@code round_phases} (BenchListener), each phase's share of
     * the rounds' wall time and its mean milliseconds per round; the task phases are each round's slowest task's.
     */
    static void roundPhases(Map<String, JsonNode> rows, StringBuilder md) {
        List<String> letters = new ArrayList<>();
        rows.forEach((letter, m) -> {
            if (m.path("round_phases").isObject()) {
                letters.add(letter);
            }
        });
        if (letters.isEmpty()) {
            return;
        }
        md.append("\nWhere a round's time goes: each phase's share of the round's wall time and its mean ms per round"
                + " (task phases: each round's slowest task)\n\n| phase |");
        letters.forEach(l -> md.append(' ').append(l).append(" |"));
        md.append("\n|---|");
        letters.forEach(l -> md.append("---:|"));
        md.append("\n| round (wall time) |");
        letters.forEach(l -> md.append(String.format(Locale.ROOT, " 100%% (%.1f ms) |",
                1e3 * rows.get(l).path("mean_round_seconds").asDouble(Double.NaN))));
        md.append('\n');
        PHASES.forEach((name, what) -> {
            md.append("| ").append(what).append(" |");
            letters.forEach(l -> {
                JsonNode phase = rows.get(l).path("round_phases").path(name);
                md.append(phase.isObject() ? String.format(Locale.ROOT, " %.1f%% (%.1f ms) |",
                        100 * phase.path("share_of_round").asDouble(), 1e3 * phase.path("seconds_per_round").asDouble())
                        : " |");
            });
            md.append('\n');
        });
    }

    /**
     * The targets, as ratios within this run: this engine (c local, d cluster) against plain DL4J (a), the
     * DL4J rows against DJL/PyTorch (j; on ResNet-20, s against t), and every row's time to the target accuracy
     * against stock dl4j-spark's (b). When b did not reach the target within its cap, its time is only known to
     * exceed the cap, so a row's ratio is an upper bound ("< 0.40x"). With k and l: the larger-than-memory row
     * against the in-memory one, with the data's size against l's storage memory ({@code jpegTree}: bench-jpegs'
     * JSON, or null).
     */
    static Map<String, Object> targets(Map<String, JsonNode> rows, JsonNode jpegTree, StringBuilder md) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        JsonNode plain = rows.get("a");
        // Issue 16's targets: locally (c, and h with the barrier exchange) >= 0.95x, on the cluster (d, i) >= 0.9x.
        for (String engine : List.of("c", "h", "d", "i")) {
            if (plain != null && rows.containsKey(engine)) {
                double ratio = speed(rows.get(engine)) / speed(plain);
                double target = engine.equals("c") || engine.equals("h") ? 0.95 : 0.9;
                out.put(engine + "_train_speed_vs_plain", ratio);
                lines.add(String.format(Locale.ROOT, "- %s/a train img/s: %.2fx (target >= %.2fx): %s", engine, ratio,
                        target, ratio >= target ? "met" : "not met"));
            }
        }
        for (String[] pair : new String[][] {{"h", "c"}, {"i", "d"}}) {
            if (rows.containsKey(pair[0]) && rows.containsKey(pair[1])) {
                double ratio = speed(rows.get(pair[0])) / speed(rows.get(pair[1]));
                out.put(pair[0] + "_train_speed_vs_" + pair[1], ratio);
                lines.add(String.format(Locale.ROOT, "- %s/%s train img/s (the barrier exchange against the tree):"
                        + " %.2fx", pair[0], pair[1], ratio));
            }
        }
        // DL4J against DJL/PyTorch on the same network (issue 16's targets): LeNet-5 (j) for the LeNet rows,
        // >= 0.9x; the deeper pair, ResNet-20 at 32x32 (s against t), >= 0.7x.
        for (String[] pair : new String[][] {{"a", "j"}, {"c", "j"}, {"d", "j"}, {"h", "j"}, {"i", "j"}, {"s", "t"}}) {
            if (rows.containsKey(pair[0]) && rows.containsKey(pair[1])) {
                boolean resNet = pair[1].equals("t");
                double target = resNet ? 0.7 : 0.9;
                double ratio = speed(rows.get(pair[0])) / speed(rows.get(pair[1]));
                out.put(pair[0] + "_train_speed_vs_pytorch", ratio);
                lines.add(String.format(Locale.ROOT, "- %s/%s train img/s (DL4J against DJL/PyTorch%s): %.2fx (target"
                        + " >= %.2fx): %s", pair[0], pair[1], resNet ? ", ResNet-20" : "", ratio, target,
                        ratio >= target ? "met" : "not met"));
            }
        }
        JsonNode stock = rows.get("b");
        if (stock != null && (stock.hasNonNull("seconds_to_target") || stock.hasNonNull("not_reached_in_seconds"))) {
            boolean stockReached = stock.hasNonNull("seconds_to_target");
            double stockSeconds = stockReached ? stock.get("seconds_to_target").asDouble()
                    : stock.get("not_reached_in_seconds").asDouble();
            rows.forEach((letter, m) -> {
                if (letter.equals("b") || !m.hasNonNull("seconds_to_target")) {
                    return;
                }
                double ratio = m.get("seconds_to_target").asDouble() / stockSeconds;
                out.put(letter + "_time_to_target_vs_stock", ratio);
                out.put(letter + "_time_to_target_vs_stock_is_upper_bound", !stockReached);
                lines.add(String.format(Locale.ROOT, "- %s/b time to the target accuracy: %s%.2fx%s (target <= 0.50x):"
                                + " %s", letter, stockReached ? "" : "< ", ratio,
                        stockReached ? "" : String.format(Locale.ROOT, ", b had not reached it after %.0f s",
                                stockSeconds),
                        ratio <= 0.5 ? "met" : stockReached ? "not met" : "not shown"));
            });
        }
        JsonNode fixed = rows.get("c");
        JsonNode adaptive = rows.get("g");
        if (fixed != null && adaptive != null) {
            // The adaptive averaging option is worth its place only if it reaches the target sooner than (c).
            String verdict;
            if (fixed.hasNonNull("seconds_to_target") && adaptive.hasNonNull("seconds_to_target")) {
                double ratio = adaptive.get("seconds_to_target").asDouble() / fixed.get("seconds_to_target").asDouble();
                out.put("g_time_to_target_vs_c", ratio);
                verdict = String.format(Locale.ROOT, "%.2fx", ratio);
            } else {
                verdict = "not comparable: " + BenchReport.timeToTarget(fixed) + " (c) against "
                        + BenchReport.timeToTarget(adaptive) + " (g)";
            }
            lines.add(String.format(Locale.ROOT, "- g/c time to the target accuracy (adaptive against fixed"
                    + " averaging frequency): %s; averaging rounds %s against %s", verdict,
                    adaptive.path("rounds_run").asText("?"), fixed.path("rounds_run").asText("?")));
        }
        JsonNode arrival = rows.get("r");
        if (fixed != null && arrival != null) {
            // Issue 15: what summing the workers' results in partition order costs against Spark's arrival order.
            double ratio = speed(fixed) / speed(arrival);
            out.put("c_train_speed_vs_r", ratio);
            lines.add(String.format(Locale.ROOT, "- c/r train img/s (results summed in partition order, reproducible,"
                    + " against arrival order, as before): %.2fx", ratio));
        }
        JsonNode inMemory = rows.get("k");
        JsonNode onDisk = rows.get("l");
        if (inMemory != null && onDisk != null) {
            double ratio = speed(onDisk) / speed(inMemory);
            out.put("l_train_speed_vs_k", ratio);
            String data = "";
            if (jpegTree != null && onDisk.hasNonNull("storage_memory_bytes")) {
                double bytes = jpegTree.get("train_bytes").asDouble();
                double storage = onDisk.get("storage_memory_bytes").asDouble();
                out.put("l_data_vs_storage_memory", bytes / storage);
                data = String.format(Locale.ROOT, "; training data %.0f MB of %s, %.1fx l's storage memory of %.0f MB"
                        + " (k: %.0f MB)", bytes / 1e6, jpegTree.get("size").asText(), bytes / storage, storage / 1e6,
                        inMemory.path("storage_memory_bytes").asDouble() / 1e6);
            }
            lines.add(String.format(Locale.ROOT, "- l/k train img/s (training data larger than storage memory against"
                    + " in memory): %.2fx (target >= 0.90x): %s%s; Spark cache warnings: %s (k), %s (l)", ratio,
                    ratio >= 0.9 ? "met" : "not met", data, inMemory.path("cache_warnings").asText("?"),
                    onDisk.path("cache_warnings").asText("?")));
        }
        if (!lines.isEmpty()) {
            md.append("\nTargets, as ratios within this run:\n");
            lines.forEach(line -> md.append(line).append('\n'));
        }
        return out;
    }

    /**
     * Row n's scale figures: the tree, the driver's listing, the check that decodes every file once, the epoch's
     * setup against the epoch (target under 5%) and the heap in use against the 2 GB the row's JVM had (target:
     * under 2 GB, driver and local executor together).
     */
    static Map<String, Object> imageNetRow(JsonNode n, JsonNode tree, StringBuilder md) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode epoch = n.path("history").path(0);
        double listing = n.path("data_load_seconds").asDouble(Double.NaN);
        double check = n.path("data_distribute_seconds").asDouble(Double.NaN);
        long files = tree == null ? -1 : tree.path("train_files").asLong() + tree.path("val_files").asLong();
        double setup = epoch.path("setup_seconds").asDouble(Double.NaN);
        double epochSeconds = epoch.path("seconds").asDouble(Double.NaN);
        double heap = n.path("driver_heap_used_peak_bytes").asDouble(Double.NaN);
        double heapMax = n.path("driver_heap_max_bytes").asDouble(Double.NaN);
        out.put("files", files);
        out.put("listing_seconds", listing);
        out.put("check_images_per_second", files / check);
        out.put("epoch_setup_seconds", setup);
        out.put("epoch_seconds", epochSeconds);
        out.put("epoch_setup_share", setup / epochSeconds);
        out.put("driver_heap_used_peak_bytes", heap);
        out.put("train_images_per_second", speed(n));
        md.append(String.format(Locale.ROOT, "%n| n. ImageNet-shaped tree | value |%n|---|---:|%n"
                        + "| files (training + validation), bytes | %,d, %.2f GB |%n"
                        + "| listing on the driver | %.1f s |%n"
                        + "| check (read + decode every file once) | %.1f s, %,.0f images/s |%n"
                        + "| epoch setup (dealing into blocks: one shuffle) | %.1f s of a %.0f s epoch: %.1f%%"
                        + " (target < 5%%): %s |%n"
                        + "| heap in use, peak (driver + local executor) | %.2f GB of %.2f GB (target < 2 GB): %s |%n"
                        + "| training | %,.0f images/s, %s accuracy %.4f |%n",
                files, tree == null ? Double.NaN : tree.path("bytes").asDouble() / 1e9, listing, check, files / check,
                setup, epochSeconds, 100 * setup / epochSeconds, setup / epochSeconds < 0.05 ? "met" : "not met",
                heap / 1e9, heapMax / 1e9, heap < 2e9 ? "met" : "not met", speed(n),
                n.path("evaluated_on").asText("test"),
                n.path(n.path("evaluated_on").asText("test") + "_accuracy").asDouble(Double.NaN)));
        return out;
    }

    private static double speed(JsonNode m) {
        return m.get("train_images_per_second").asDouble();
    }

    /** "123 s" when the run reached its race's target, "not reached in 456 s" when not, blank without a race. */
    static String timeToTarget(JsonNode m) {
        if (m.hasNonNull("seconds_to_target")) {
            return String.format(Locale.ROOT, "%.0f s", m.get("seconds_to_target").asDouble());
        }
        if (m.hasNonNull("not_reached_in_seconds")) {
            return String.format(Locale.ROOT, "not reached in %.0f s", m.get("not_reached_in_seconds").asDouble());
        }
        return "";
    }
}
