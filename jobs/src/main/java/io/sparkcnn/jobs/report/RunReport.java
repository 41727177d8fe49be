package io.sparkcnn.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.jobs.report.Figures.Curve;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's {@code report.html}, written next to its {@code metrics.json} with PNG figures: loss and accuracy per
 * epoch, learning rate and images/s per round, the confusion matrix as a heat map, per-class precision, recall
 * and F1, the model summary, the configuration, the data problems, the versions and the machine, and the
 * images of {@code visualize/}. Everything is read from {@code metrics.json}, so training and evaluation runs
 * (which have no history) share it, and {@code report RUN_DIR} can rewrite it at any time. The page needs
 * no network: no CDN, no external script or style, figures by relative path.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    static final String METRICS = "metrics.json";
    static final String VISUALIZE = "visualize";
    /** Rows of a long list (data problems) shown in the page; metrics.json keeps them all. */
    private static final int MAX_ROWS = 200;
    private static final String TEST = "test";

    private final Path dir;
    private final JsonNode m;

    private RunReport(Path dir, JsonNode metrics) {
        this.dir = dir;
        this.m = metrics;
    }

    /** Reads {@code runDir/metrics.json} and writes {@code runDir/report.html} and its figures; returns the page. */
    public static Path write(Path runDir) {
        Path file = runDir.resolve(METRICS);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("report " + runDir + ": no " + METRICS + " there; give the output"
                    + " folder of a train or evaluate run.");
        }
        JsonNode metrics;
        try {
            metrics = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("report: cannot read " + file + " (" + e.getMessage()
                    + "); rerun the job to write it again.", e);
        }
        // The figures are drawn off screen: a driver on a server has no display.
        System.setProperty("java.awt.headless", "true");
        return new RunReport(runDir, metrics).render();
    }

    private Path render() {
        StringBuilder body = new StringBuilder();
        overview(body);
        training(body);
        test(body);
        learned(body);
        dataProblems(body);
        text(body, "Model", "model_summary");
        text(body, "Configuration", "config_text");
        environment(body);
        String title = "spark-cnn report: " + str("job", "run");
        String page = Html.page(title, body.toString());
        Path out = dir.resolve(FILE);
        try {
            Files.writeString(out, page);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return out;
    }

    private void overview(StringBuilder b) {
        b.append("<h1>").append(Html.esc(str("job", "run"))).append("</h1>\n");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("kind", str("kind", m.has("history") ? "training" : "evaluation"));
        facts.put("status", str("status", "finished"));
        if (m.hasNonNull("error")) {
            facts.put("error", str("error", ""));
        }
        facts.put("architecture", str("architecture", null));
        facts.put("model", str("model", null));
        String set = scoredOn();
        facts.put(set + " accuracy", pct(m.path(set + "_accuracy")));
        facts.put(set + " top-5 accuracy", pct(m.path(set + "_top5_accuracy")));
        facts.put(set + " loss", num(m.path(set + "_loss"), "%.4f"));
        String tta = m.path("tta").asText("none");
        facts.put("test-time augmentation", tta.equals("none") || tta.isEmpty() ? null
                : tta + " (the " + set + " score averages the softmax over its views)");
        facts.put("kept model", keptModel());
        facts.put("epochs run", m.has("epochs_run")
                ? m.path("epochs_run").asInt() + " of " + m.path("epochs").asInt()
                + (m.path("stopped_early").asBoolean() ? " (stopped early)" : "") : null);
        facts.put("training images/s", num(m.path("train_images_per_second"), "%,.0f"));
        facts.put("training time", seconds(m.path("training_seconds")));
        facts.put("wall time", seconds(m.path("wall_seconds")));
        facts.put("images trained on", num(m.path("examples_trained"), "%,.0f"));
        facts.put("parameters", num(m.path("parameters"), "%,.0f"));
        facts.put("multiply-adds per image", num(m.path("multiply_adds_per_image"), "%,.0f"));
        facts.put("master", str("master", null));
        b.append(Html.facts(facts));
    }

    private String keptModel() {
        if (!m.has("kept_model")) {
            return null;
        }
        String kept = m.path("kept_model").asText();
        return ("best-validation".equals(kept)
                ? String.format(Locale.ROOT, "best on validation: epoch %d, accuracy %s", m.path("best_epoch").asInt(),
                        pct(m.path("best_validation_accuracy")))
                : "the last epoch's")
                + ("ema".equals(m.path("evaluated_weights").asText())
                        ? String.format(Locale.ROOT, "; EMA weights (decay %s), as every score", m.path("ema_decay").asText())
                        : "");
    }

    private void training(StringBuilder b) {
        JsonNode history = m.path("history");
        JsonNode rounds = m.path("rounds");
        if (history.isEmpty() && rounds.isMissingNode()) {
            return;
        }
        b.append("<h2>Training</h2>\n");
        double[] epochs = column(history, "epoch");
        double[] roundX = roundPositions(rounds);
        b.append("<div class=\"figures\">\n");
        figure(b, "loss.png", "Mean minibatch loss of each round's workers, its epoch mean, and the validation"
                + " cross-entropy at each epoch's end", Figures.lines(dir.resolve("loss.png"), "Loss", "epoch", "loss", List.of(
                new Curve("training, per round", roundX, array(rounds, "loss"), false),
                new Curve("training, epoch mean", epochs, column(history, "train_loss"), true),
                new Curve("validation", epochs, column(history, "validation_loss"), true)), false));
        figure(b, "accuracy.png", "Accuracy at each epoch's end, and the kept model's " + scoredOn() + " accuracy",
                Figures.lines(dir.resolve("accuracy.png"), "Accuracy", "epoch", "accuracy", List.of(
                        new Curve("validation", epochs, column(history, "validation_accuracy"), true),
                        new Curve("test", epochs, column(history, "test_accuracy"), true),
                        keptTest(history)), false));
        figure(b, "learning_rate.png", "The learning rate every worker used, round by round", Figures.lines(dir.resolve("learning_rate.png"),
                "Learning rate", "epoch", "learning rate", List.of(
                        new Curve("learning rate", roundX, array(rounds, "learning_rate"), false)), false));
        figure(b, "throughput.png", "Training images per second of each round (wall time on the driver,"
                + " averaging included)", Figures.lines(dir.resolve("throughput.png"),
                "Training speed", "epoch", "images/s per round", List.of(
                        new Curve("images/s", roundX, array(rounds, "images_per_second"), false)), false));
        b.append("</div>\n");
        if (!history.isEmpty()) {
            List<String> header = List.of("epoch", "train loss", "validation loss", "validation accuracy",
                    "test accuracy", "learning rate", "images/s", "time", "averaging overhead");
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode e : history) {
                rows.add(Arrays.asList(e.path("epoch").asText(), num(e.path("train_loss"), "%.4f"),
                        num(e.path("validation_loss"), "%.4f"), pct(e.path("validation_accuracy")),
                        pct(e.path("test_accuracy")), num(e.path("learning_rate"), "%.3g"),
                        num(e.path("images_per_second"), "%,.0f"), seconds(e.path("seconds")),
                        pct(e.path("averaging_overhead_share"))));
            }
            b.append(Html.table(header, rows));
        }
    }

    /** The final accuracy, drawn at the epoch of the model it measured and named for the set it was scored on. */
    private Curve keptTest(JsonNode history) {
        double epoch = "best-validation".equals(m.path("kept_model").asText()) ? m.path("best_epoch").asDouble()
                : history.isEmpty() ? Double.NaN : history.path(history.size() - 1).path("epoch").asDouble();
        JsonNode scored = m.path(scoredOn() + "_accuracy");
        double accuracy = scored.isNumber() ? scored.asDouble() : Double.NaN;
        return new Curve(scoredOn() + ", kept model", new double[] {epoch}, new double[] {accuracy}, true);
    }

    /**
     * The set the final numbers were scored on, as metrics.json names it: "test", "validation" (a tree whose only
     * held-out set is val/) or "training"; runs from before the name was written were scored on the test set.
     */
    private String scoredOn() {
        return m.path("evaluated_on").asText("test");
    }

    private void test(StringBuilder b) {
        JsonNode names = m.path("class_names");
        JsonNode confusion = m.path("confusion_matrix");
        String set = scoredOn();
        if (!m.has(set + "_accuracy") && confusion.isMissingNode()) {
            return;
        }
        b.append("<h2>").append(Html.esc(Character.toUpperCase(set.charAt(0)) + set.substring(1)))
                .append(TEST.equals(set) ? "" : " (no test set)").append("</h2>\n");
        b.append(Html.facts(facts("accuracy", pct(m.path(set + "_accuracy")),
                "top-5 accuracy", pct(m.path(set + "_top5_accuracy")),
                "images", num(m.path(set + "_images"), "%,.0f"))));
        if (confusion.isArray() && names.size() == confusion.size() && names.size() > 0) {
            List<String> classes = new ArrayList<>();
            names.forEach(n -> classes.add(n.asText()));
            long[][] counts = new long[classes.size()][classes.size()];
            for (int i = 0; i < classes.size(); i++) {
                for (int j = 0; j < classes.size(); j++) {
                    counts[i][j] = confusion.path(i).path(j).asLong();
                }
            }
            int shown = Figures.confusion(dir.resolve("confusion.png"), classes, counts).length;
            String which = shown == classes.size() ? "Confusion matrix"
                    : String.format(Locale.ROOT, "Confusion matrix of the %d most confused of the %,d classes (the"
                            + " most images wrongly predicted from and as them; metrics.json has the whole matrix)",
                            shown, classes.size());
            figure(b, "confusion.png", which + ": each row is a true class, each column a prediction;"
                    + " a cell is the share of the row's images", true);
        }
        JsonNode perClass = m.path("per_class");
        if (perClass.isArray() && !perClass.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode c : perClass) {
                rows.add(Arrays.asList(c.path("class").asText(), num(c.path("precision"), "%.4f"),
                        num(c.path("recall"), "%.4f"), num(c.path("f1"), "%.4f"), num(c.path("support"), "%,.0f")));
            }
            b.append("<h3>Per class</h3>\n")
                    .append(Html.table(List.of("class", "precision", "recall", "F1", "images"), rows));
        }
    }

    /** The images the visualize command left in {@code visualize/}, in name order. */
    private void learned(StringBuilder b) {
        Path vis = dir.resolve(VISUALIZE);
        if (!Files.isDirectory(vis)) {
            return;
        }
        List<Path> pngs;
        try (Stream<Path> walk = Files.walk(vis)) {
            pngs = walk.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + vis + ": " + e.getMessage(), e);
        }
        if (pngs.isEmpty()) {
            return;
        }
        b.append("<h2>What the network learned</h2>\n");
        for (Path p : pngs) {
            String rel = dir.relativize(p).toString().replace('\\', '/');
            figure(b, rel, rel.substring(VISUALIZE.length() + 1), true);
        }
    }

    private void dataProblems(StringBuilder b) {
        JsonNode rejected = m.path("rejected_files");
        if (!rejected.isArray()) {
            return;
        }
        b.append("<h2>Data problems</h2>\n");
        if (rejected.isEmpty()) {
            b.append("<p>None: every file was read.</p>\n");
            return;
        }
        Map<String, Integer> byReason = new LinkedHashMap<>();
        rejected.forEach(r -> byReason.merge(r.path("reason").asText(), 1, Integer::sum));
        List<List<String>> counts = new ArrayList<>();
        byReason.forEach((reason, n) -> counts.add(List.of(reason, String.format(Locale.ROOT, "%,d", n))));
        b.append(String.format(Locale.ROOT, "<p>%,d file(s) left out of the run.</p>%n", rejected.size()))
                .append(Html.table(List.of("reason", "files"), counts));
        List<List<String>> rows = new ArrayList<>();
        for (Iterator<JsonNode> it = rejected.elements(); it.hasNext() && rows.size() < MAX_ROWS; ) {
            JsonNode r = it.next();
            rows.add(Arrays.asList(r.path("path").asText(), r.path("reason").asText(), r.path("detail").asText("")));
        }
        b.append(Html.table(List.of("file", "reason", "detail"), rows));
        if (rejected.size() > MAX_ROWS) {
            b.append(String.format(Locale.ROOT, "<p>... and %,d more, listed in metrics.json.</p>%n",
                    rejected.size() - MAX_ROWS));
        }
    }

    private void text(StringBuilder b, String title, String key) {
        if (m.hasNonNull(key)) {
            b.append("<h2>").append(title).append("</h2>\n<pre>").append(Html.esc(m.path(key).asText()))
                    .append("</pre>\n");
        }
    }

    private void environment(StringBuilder b) {
        Map<String, String> facts = new LinkedHashMap<>();
        JsonNode versions = m.path("versions");
        facts.put("Spark", versions.path("spark").asText(str("spark_version", null)));
        facts.put("DL4J", versions.path("dl4j").asText(str("dl4j_version", null)));
        facts.put("Java", versions.path("java").asText(null));
        facts.put("spark-cnn", versions.path("spark_cnn").asText(null));
        JsonNode machine = m.path("machine");
        facts.put("CPU", machine.path("cpu_model").asText(null));
        facts.put("cores", machine.path("cores").asText(null));
        facts.put("memory", bytes(machine.path("memory_bytes")));
        facts.put("driver heap", bytes(machine.path("max_heap_bytes")));
        facts.put("OS", machine.path("os").asText(null));
        facts.put("host", machine.path("host").asText(null));
        facts.put("master", str("master", null));
        b.append("<h2>Environment</h2>\n").append(Html.facts(facts));
    }

    private void figure(StringBuilder b, String file, String caption, boolean drawn) {
        if (drawn) {
            b.append(Html.figure(file, caption));
        }
    }

    private String str(String key, String fallback) {
        return m.hasNonNull(key) ? m.path(key).asText() : fallback;
    }

    private static Map<String, String> facts(String... pairs) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            f.put(pairs[i], pairs[i + 1]);
        }
        return f;
    }

    /** A number field of every row; NaN where a row lacks it (no validation that epoch, say). */
    static double[] column(JsonNode rows, String key) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode n = rows.path(i).path(key);
            v[i] = n.isNumber() ? n.asDouble() : Double.NaN;
        }
        return v;
    }

    static double[] array(JsonNode rounds, String key) {
        JsonNode a = rounds.path(key);
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.path(i).isNumber() ? a.path(i).asDouble() : Double.NaN;
        }
        return v;
    }

    /**
     * Where each round ends, in epochs: a round that ends at block b of B in epoch e is at e - 1 + b / B. A
     * metrics.json written before the columns were named for blocks has them as {@code round} and
     * {@code rounds_in_epoch}.
     */
    static double[] roundPositions(JsonNode rounds) {
        double[] epoch = array(rounds, "epoch");
        double[] round = array(rounds, rounds.has("blocks_done") ? "blocks_done" : "round");
        double[] of = array(rounds, rounds.has("blocks_in_epoch") ? "blocks_in_epoch" : "rounds_in_epoch");
        double[] x = new double[epoch.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i < round.length && i < of.length ? epoch[i] - 1 + round[i] / of[i] : Double.NaN;
        }
        return x;
    }

    private static String pct(JsonNode n) {
        return n.isNumber() && Double.isFinite(n.asDouble())
                ? String.format(Locale.ROOT, "%.2f%%", 100 * n.asDouble()) : null;
    }

    private static String num(JsonNode n, String format) {
        return n.isNumber() && Double.isFinite(n.asDouble()) ? String.format(Locale.ROOT, format, n.asDouble()) : null;
    }

    private static String seconds(JsonNode n) {
        if (!n.isNumber()) {
            return null;
        }
        long s = Math.round(n.asDouble());
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1fs", n.asDouble());
    }

    private static String bytes(JsonNode n) {
        return n.isNumber() && n.asLong() > 0
                ? String.format(Locale.ROOT, "%.1f GiB", n.asLong() / (1024.0 * 1024 * 1024)) : null;
    }
}
