package io.sparkcnn.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report drawn from metrics.json files of the two shapes runs write: training (with history) and evaluation. */
class RunReportTest {
    private static final List<String> CLASSES = List.of("cat", "dog", "<bird & fish>");
    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]+)\"");

    /** What an evaluation run writes: no history, no rounds; the test results and the environment. */
    static Map<String, Object> evaluationMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", "pets");
        m.put("kind", "evaluate");
        m.put("test_accuracy", 0.8);
        m.put("class_names", CLASSES);
        m.put("confusion_matrix", new int[][] {{8, 1, 1}, {2, 7, 1}, {0, 1, 9}});
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (String c : CLASSES) {
            perClass.add(Map.of("class", c, "precision", 0.8, "recall", 0.8, "f1", 0.8, "support", 10));
        }
        m.put("per_class", perClass);
        m.put("rejected_files", List.of(Map.of("path", "/data/cat/x.jpg", "reason", "truncated",
                "detail", "JPEG ends before its last scan")));
        m.put("versions", Map.of("spark", "3.5.7", "dl4j", "1.0.0-M2", "java", "17"));
        m.put("machine", Map.of("cores", 2, "cpu_model", "Some CPU", "os", "Linux"));
        return m;
    }

    /** What a training run adds: per-epoch history (validation every epoch) and per-round columns. */
    static Map<String, Object> trainingMetrics() {
        Map<String, Object> m = evaluationMetrics();
        m.put("kind", "train");
        m.put("model_summary", "#  name  type\n0  conv1 Conv");
        m.put("config_text", "job { name = pets }");
        List<Map<String, Object>> history = new ArrayList<>();
        for (int e = 1; e <= 3; e++) {
            history.add(Map.of("epoch", e, "train_loss", 1.0 / e, "validation_loss", 1.1 / e,
                    "validation_accuracy", 0.6 + 0.1 * e, "learning_rate", 0.01 / e, "images_per_second", 900.0));
        }
        m.put("history", history);
        Map<String, List<Number>> rounds = new LinkedHashMap<>();
        List.of("epoch", "blocks_done", "blocks_in_epoch", "loss", "images_per_second", "learning_rate")
                .forEach(c -> rounds.put(c, new ArrayList<>()));
        for (int e = 1; e <= 3; e++) {
            for (int r = 1; r <= 4; r++) {
                rounds.get("epoch").add(e);
                rounds.get("blocks_done").add(r);
                rounds.get("blocks_in_epoch").add(4);
                rounds.get("loss").add(1.2 / (e + r / 4.0));
                rounds.get("images_per_second").add(850 + 10 * r);
                rounds.get("learning_rate").add(0.01 / e);
            }
        }
        m.put("rounds", rounds);
        return m;
    }

    static Path runDir(Path tmp, Map<String, Object> metrics) throws IOException {
        new ObjectMapper().writeValue(tmp.resolve("metrics.json").toFile(), metrics);
        return tmp;
    }

    static List<String> images(String html) {
        List<String> srcs = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            srcs.add(m.group(1));
        }
        return srcs;
    }

    @Test
    void aTrainingRunGetsItsCurvesAndConfusionMatrixAsPngsTheHtmlShowsByRelativePath(@TempDir Path tmp)
            throws IOException {
        Path page = RunReport.write(runDir(tmp, trainingMetrics()));

        String html = Files.readString(page);
        assertEquals(List.of("loss.png", "accuracy.png", "learning_rate.png", "throughput.png", "confusion.png"),
                images(html));
        for (String png : images(html)) {
            BufferedImage image = ImageIO.read(tmp.resolve(png).toFile());
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, png);
        }
        assertTrue(html.contains("<th>validation accuracy</th>") && !html.contains("<th>test accuracy</th>"),
                "the epoch table leaves out what no epoch measured");
        assertTrue(html.contains("&lt;bird &amp; fish&gt;"), "class names are escaped");
        assertTrue(html.contains("<pre>#  name  type\n0  conv1 Conv</pre>"), "the model summary");
        assertTrue(html.contains("job { name = pets }"), "the configuration");
        assertTrue(html.contains("JPEG ends before its last scan"), "the data problems");
        assertTrue(html.contains("Some CPU") && html.contains("3.5.7"), "the machine and versions");
    }

    @Test
    void anEvaluationRunWithoutHistoryGetsTheTestSectionsOnly(@TempDir Path tmp) throws IOException {
        String html = Files.readString(RunReport.write(runDir(tmp, evaluationMetrics())));

        assertEquals(List.of("confusion.png"), images(html));
        assertFalse(html.contains("<h2>Training</h2>"));
        assertTrue(html.contains("<h2>Test</h2>") && html.contains("80.00%"), html);
    }

    @Test
    void aRunScoredOnItsValidationSetCallsEveryNumberValidationNotTest(@TempDir Path tmp) throws IOException {
        Map<String, Object> m = trainingMetrics();
        m.remove("test_accuracy");
        m.put("evaluated_on", "validation");
        m.put("validation_accuracy", 0.7);
        m.put("validation_images", 30);

        String html = Files.readString(RunReport.write(runDir(tmp, m)));

        assertTrue(html.contains("<dt>validation accuracy</dt><dd>70.00%</dd>"), html);
        assertTrue(html.contains("<h2>Validation (no test set)</h2>"), html);
        assertFalse(html.contains("<h2>Test</h2>") || html.contains("test accuracy"), html);
    }

    @Test
    void aRunOnEmaWeightsWithTestTimeAugmentationSaysBoth(@TempDir Path tmp) throws IOException {
        Map<String, Object> m = trainingMetrics();
        m.put("kept_model", "best-validation");
        m.put("best_epoch", 3);
        m.put("best_validation_accuracy", 0.9);
        m.put("evaluated_weights", "ema");
        m.put("ema_decay", 0.999);
        m.put("tta", "ten-crop");

        String html = Files.readString(RunReport.write(runDir(tmp, m)));

        assertTrue(html.contains("best on validation: epoch 3, accuracy 90.00%; EMA weights (decay 0.999)"), html);
        assertTrue(html.contains("<dt>test-time augmentation</dt><dd>ten-crop (the test score averages the softmax"
                + " over its views)</dd>"), html);
        String plain = Files.readString(RunReport.write(runDir(tmp, trainingMetrics())));
        assertFalse(plain.contains("EMA") || plain.contains("test-time augmentation"), "nothing when both are off");
    }

    @Test
    void withManyClassesTheHeatMapShowsTheMostConfusedOnesAndSaysSo(@TempDir Path tmp) throws IOException {
        // 200 classes, 50 images each, all right except for planted confusions among classes 7, 42, 150 and 199.
        int n = 200;
        List<String> names = new ArrayList<>();
        int[][] counts = new int[n][n];
        for (int c = 0; c < n; c++) {
            names.add("class-" + c);
            counts[c][c] = 50;
        }
        int[][] planted = {{7, 42, 9}, {42, 7, 4}, {150, 199, 12}, {199, 3, 1}};
        for (int[] p : planted) {
            counts[p[0]][p[0]] -= p[2];
            counts[p[0]][p[1]] += p[2];
        }
        Map<String, Object> m = evaluationMetrics();
        m.put("class_names", names);
        m.put("confusion_matrix", counts);
        m.remove("per_class");

        String html = Files.readString(RunReport.write(runDir(tmp, m)));

        assertTrue(html.contains("the 30 most confused of the 200 classes"), html);
        BufferedImage heat = ImageIO.read(tmp.resolve("confusion.png").toFile());
        assertTrue(heat.getWidth() <= 1220 && heat.getHeight() <= 1100, heat.getWidth() + "x" + heat.getHeight());
        long[][] wide = new long[n][n];
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                wide[a][p] = counts[a][p];
            }
        }
        int[] shown = Figures.mostConfused(wide, 30);
        assertEquals(30, shown.length);
        // The five classes in a confusion come first; the rest of the 30 are the lowest indices, all error-free.
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), java.util.Arrays.stream(shown).limit(10).boxed().toList());
        for (int c : new int[] {7, 42, 150, 199, 3}) {
            assertTrue(java.util.Arrays.stream(shown).anyMatch(s -> s == c), "class " + c + " is shown");
        }
        assertEquals(List.of(0, 1, 2), java.util.Arrays.stream(Figures.mostConfused(new long[3][3], 30)).boxed()
                .toList(), "up to k classes, all are shown");
    }

    @Test
    void thePageNeedsNoNetwork(@TempDir Path tmp) throws IOException {
        String html = Files.readString(RunReport.write(runDir(tmp, trainingMetrics())));

        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"?(https?:)?//").matcher(html).find(), "no remote resource");
        assertFalse(html.contains("<link"), "styles are inline");
        assertFalse(Pattern.compile("<script[^>]+src").matcher(html).find(), "scripts are inline");
    }

    @Test
    void theVisualizeCommandsImagesAreShownInTheirOwnSection(@TempDir Path tmp) throws IOException {
        Path vis = Files.createDirectories(tmp.resolve("visualize"));
        BufferedImage filters = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(filters, "png", vis.resolve("conv1-filters.png").toFile());
        ImageIO.write(filters, "png", vis.resolve("feature-maps-conv2.png").toFile());

        String html = Files.readString(RunReport.write(runDir(tmp, evaluationMetrics())));

        assertTrue(html.contains("<h2>What the network learned</h2>"));
        assertTrue(images(html).containsAll(List.of("visualize/conv1-filters.png", "visualize/feature-maps-conv2.png")),
                images(html).toString());
    }

    @Test
    void aFolderWithoutMetricsIsRefusedNamingTheFile(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(tmp));

        assertTrue(e.getMessage().contains("metrics.json") && e.getMessage().contains(tmp.toString()), e.getMessage());
    }

    @Test
    void credentialsInTheConfigTextAreTakenOut() {
        String config = "data { root = \"s3a://AKIAXYZ:s3cr3t@bucket/images\"\n  secret-key = \"abc\" }\n"
                + "training { epochs = 8 }";

        String shown = Environment.withoutSecrets(config);

        assertFalse(shown.contains("s3cr3t") || shown.contains("AKIAXYZ") || shown.contains("abc"), shown);
        assertTrue(shown.contains("s3a://***@bucket/images") && shown.contains("epochs = 8"), shown);
    }

    @Test
    void roundsArePlacedAtTheBlockTheyEndedAtAlsoInAMetricsFileOfTheOlderColumnNames() {
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode current = json.valueToTree(Map.of("epoch", List.of(1, 1, 2),
                "blocks_done", List.of(1, 4, 2), "blocks_in_epoch", List.of(4, 4, 4)));
        com.fasterxml.jackson.databind.JsonNode older = json.valueToTree(Map.of("epoch", List.of(1, 1, 2),
                "round", List.of(1, 4, 2), "rounds_in_epoch", List.of(4, 4, 4)));

        assertArrayEquals(new double[] {0.25, 1.0, 1.5}, RunReport.roundPositions(current), 1e-12);
        assertArrayEquals(new double[] {0.25, 1.0, 1.5}, RunReport.roundPositions(older), 1e-12);
    }

    /**
     * Issue 18, item 8: the per-round figures labelled the epoch axis at the rounds' positions (0.01, 0.41,
     * 0.82, ...). The labels must be whole epochs for runs of any length, and a one-epoch run may add its half.
     */
    @Test
    void theEpochAxisIsLabelledAtWholeEpochs() throws Exception {
        for (int epochs : new int[] {2, 3, 8, 30, 200}) {
            List<String> labels = xTickLabels(roundCurveChart(epochs, 37), epochs);
            assertTrue(labels.size() >= 2, epochs + " epochs: " + labels);
            for (String label : labels) {
                assertTrue(label.matches("\\d+"), epochs + " epochs, label '" + label + "' of " + labels);
            }
            assertTrue(labels.contains("0") || labels.contains("1"), epochs + " epochs: " + labels);
        }
        List<String> one = xTickLabels(roundCurveChart(1, 10), 1);
        assertTrue(one.containsAll(List.of("0", "1")), one.toString());
        for (String label : one) {
            assertTrue(label.matches("\\d+|0\\.5"), "one epoch, label '" + label + "' of " + one);
        }
    }

    /** A loss-per-round curve, as the report draws it, of {@code epochs} epochs of {@code rounds} rounds. */
    private static org.knowm.xchart.XYChart roundCurveChart(int epochs, int rounds) {
        double[] x = new double[epochs * rounds];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i + 1) / (double) rounds;
            y[i] = 2.0 / (1 + i);
        }
        org.knowm.xchart.XYChart chart = Figures.lineChart("Loss", "epoch", "loss", List.of(
                new Figures.Curve("training, per round", x, y, false)), false);
        // XChart works out its ticks while it paints.
        org.knowm.xchart.BitmapEncoder.getBufferedImage(chart);
        return chart;
    }

    /**
     * The x axis's tick labels within 0 to {@code epochs} (XChart computes one step more at each end and draws
     * only those on the axis), read through XChart's internals: package-private there, no public getter.
     */
    @SuppressWarnings("unchecked")
    private static List<String> xTickLabels(org.knowm.xchart.XYChart chart, int epochs) throws Exception {
        java.lang.reflect.Method pair = org.knowm.xchart.internal.chartpart.Chart.class
                .getDeclaredMethod("getAxisPair");
        pair.setAccessible(true);
        Object axisPair = pair.invoke(chart);
        Object xAxis = axisPair.getClass().getMethod("getXAxis").invoke(axisPair);
        Object ticks = xAxis.getClass().getMethod("getAxisTickCalculator").invoke(xAxis);
        java.lang.reflect.Method labels = ticks.getClass().getMethod("getTickLabels");
        labels.setAccessible(true);
        List<String> shown = new ArrayList<>();
        for (String label : (List<String>) labels.invoke(ticks)) {
            double value = Double.parseDouble(label.replace(",", ""));
            if (value >= 0 && value <= epochs) {
                shown.add(label);
            }
        }
        return shown;
    }
}
