package io.sparkcnn.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
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
    @Parameters(paramLabel = "LABEL=DIR", description = "A row's label and its run folder; the first is the"
            + " reference for the ratios.")
    List<String> rows;

    @Option(names = "--json", required = true, paramLabel = "FILE")
    File json;

    @Option(names = "--pipeline", paramLabel = "FILE", description = "bench-pipeline's JSON, for the image"
            + " pipeline's table.")
    File pipeline;

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<Map<String, Object>> table = new ArrayList<>();
        double reference = Double.NaN;
        StringBuilder md = new StringBuilder();
        md.append("| row | master | train images/s | vs plain DL4J | test accuracy | training s | wall s |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String row : rows) {
            int eq = row.indexOf('=');
            String label = row.substring(0, eq);
            File metricsFile = new File(row.substring(eq + 1), "metrics.json");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("row", label);
            if (!metricsFile.isFile()) {
                r.put("error", "no " + metricsFile + ": the run failed, see its log");
                md.append(String.format(Locale.ROOT, "| %s | failed: no metrics.json | | | | | |%n", label));
                table.add(r);
                continue;
            }
            JsonNode m = mapper.readTree(metricsFile);
            double speed = m.get("train_images_per_second").asDouble();
            if (Double.isNaN(reference)) {
                reference = speed;
            }
            r.put("master", m.path("master").asText());
            r.put("train_images_per_second", speed);
            r.put("ratio_to_reference", speed / reference);
            r.put("test_accuracy", m.get("test_accuracy").asDouble());
            r.put("training_seconds", m.path("training_seconds").asDouble());
            r.put("wall_seconds", m.path("wall_seconds").asDouble());
            r.put("epochs", m.path("epochs").asInt());
            table.add(r);
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2fx | %.4f | %.1f | %.1f |%n", label,
                    r.get("master"), speed, speed / reference, r.get("test_accuracy"), r.get("training_seconds"),
                    r.get("wall_seconds")));
        }
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
        if (pipeline != null && pipeline.isFile()) {
            JsonNode p = mapper.readTree(pipeline);
            out.put("pipeline", mapper.convertValue(p, Map.class));
            md.append(String.format(Locale.ROOT, "%n| image pipeline, 1 core | images/s |%n|---|---:|%n"
                            + "| decode 224x224 RGB JPEG | %,.0f |%n| decode + %s | %,.0f |%n",
                    p.get("decode_images_per_second_per_core").asDouble(), p.get("augmentation").asText(),
                    p.get("decode_augment_images_per_second_per_core").asDouble()));
        }
        System.out.print(md);
        out.put("rows", table);
        out.put("markdown", md.toString());
        mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValue(json, out);
        System.out.println("wrote " + json);
        return 0;
    }
}
