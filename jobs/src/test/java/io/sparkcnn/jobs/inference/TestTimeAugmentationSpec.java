package io.sparkcnn.jobs.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.cli.Main;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.IdxDataset;
import io.sparkcnn.jobs.train.TrainJob;
import io.sparkcnn.jobs.train.TrainJobSpec;
import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.testing.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test-time augmentation end to end on a real LeNet-5, trained for one short epoch on 600 Fashion-MNIST images in
 * local mode: the training run's final test, evaluate (as a job and through the CLI) and predict.
 */
class TestTimeAugmentationSpec {
    private static final List<String> SMALL = List.of("data.train-limit=600", "data.test-limit=200",
            "training.epochs=1", "training.averaging-frequency=5");
    private static final ConsoleReporter SILENT = new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()));

    @TempDir
    static Path tmp;
    static Path model;
    static Map<String, Object> trained;
    static String trainingConsole;

    private static List<String> small(String... more) {
        List<String> all = new ArrayList<>(SMALL);
        all.addAll(List.of(more));
        return all;
    }

    @BeforeAll
    static void trainOnce() {
        FashionMnist.require();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path run = tmp.resolve("run");
        trained = new TrainJob(JobConfig.load(TrainJobSpec.CONF, small("data.test-time-augment=flip")), run, null,
                new ConsoleReporter(new PrintStream(console, true))).run();
        trainingConsole = console.toString();
        model = run.resolve("model.zip");
    }

    private static JsonNode evaluate(String tta) throws IOException {
        Path out = tmp.resolve("evaluate-" + tta);
        new EvaluateJob(JobConfig.load(TrainJobSpec.CONF, small("data.test-time-augment=" + tta)), model, out, null,
                SILENT).run();
        return new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void theTrainingRunsFinalTestAndEvaluateWithTheSameViewsAgree() throws Exception {
        assertEquals("flip", trained.get("tta"));
        assertTrue(trainingConsole.contains("(test-time augmentation: flip, the softmax averaged over 2 views)"),
                trainingConsole);

        JsonNode flip = evaluate("flip");
        JsonNode none = evaluate("none");

        assertEquals((Double) trained.get("test_accuracy"), flip.get("test_accuracy").asDouble(), 1e-9);
        assertEquals("flip", flip.get("tta").asText());
        assertEquals("none", none.get("tta").asText());
        assertEquals(200, none.get("test_images").asInt());
    }

    @Test
    void evaluateWithTenCropRunsThroughTheCommandLine() throws Exception {
        Path out = tmp.resolve("evaluate-cli");
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", model.toString(),
                TrainJobSpec.CONF.toString(), "--out", out.toString()));
        for (String set : small("data.test-time-augment=ten-crop")) {
            args.add("--set");
            args.add(set);
        }

        assertEquals(0, Main.commandLine().execute(args.toArray(String[]::new)));

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("ten-crop", metrics.get("tta").asText());
        assertEquals(200, metrics.get("test_images").asInt());
        double accuracy = metrics.get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.3, "ten views of a trained model score far above chance (0.10): " + accuracy);
    }

    @Test
    void predictWithFlipGivesTheMeanOfAnImagesAndItsMirrorsProbabilities() throws Exception {
        IdxDataset test = IdxDataset.read(FashionMnist.DIR.resolve("t10k-images-idx3-ubyte.gz").toString(),
                FashionMnist.DIR.resolve("t10k-labels-idx1-ubyte.gz").toString(), 10, 24, new Configuration());
        Path images = tmp.resolve("images");
        Path mirrors = tmp.resolve("mirrors");
        for (LabeledImage r : test.records()) {
            writePng(r.pixels(), false, images.resolve(String.format("%05d.png", r.id())));
            writePng(r.pixels(), true, mirrors.resolve(String.format("%05d.png", r.id())));
        }

        Map<String, float[]> flip = predict(images, TestTimeAugmentation.FLIP);
        Map<String, float[]> plain = predict(images, TestTimeAugmentation.NONE);
        Map<String, float[]> mirrored = predict(mirrors, TestTimeAugmentation.NONE);

        assertEquals(24, flip.size());
        int differ = 0;
        for (Map.Entry<String, float[]> e : flip.entrySet()) {
            float[] a = plain.get(e.getKey());
            float[] b = mirrored.get(e.getKey());
            for (int c = 0; c < 10; c++) {
                assertEquals((a[c] + b[c]) / 2, e.getValue()[c], 2e-6, e.getKey() + " class " + c);
                differ += Math.abs(e.getValue()[c] - a[c]) > 1e-4 ? 1 : 0;
            }
        }
        assertTrue(differ > 0, "the mirror changes some probability");
    }

    /** Every image's probability for each of the 10 classes (by class index), keyed by file name. */
    private static Map<String, float[]> predict(Path input, TestTimeAugmentation tta) throws IOException {
        Path csv = tmp.resolve(input.getFileName() + "-" + tta.word() + ".csv");
        new PredictJob(model.toString(), input.toString(), csv.toString(), 10, null, SILENT, tta).run();
        List<String> names = SavedModel.readInfo(model).classNames();
        Map<String, float[]> out = new HashMap<>();
        for (String line : Files.readAllLines(csv).subList(1, 25)) {
            String[] cells = line.split(",", -1);
            float[] p = new float[10];
            for (int k = 0; k < 10; k++) {
                p[names.indexOf(cells[1 + 2 * k])] = Float.parseFloat(cells[2 + 2 * k]);
            }
            out.put(Path.of(cells[0]).getFileName().toString(), p);
        }
        return out;
    }

    private static void writePng(byte[] pixels, boolean mirror, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] row = new byte[28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                row[x] = pixels[y * 28 + (mirror ? 27 - x : x)];
            }
            image.getRaster().setDataElements(0, y, 28, 1, row);
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
