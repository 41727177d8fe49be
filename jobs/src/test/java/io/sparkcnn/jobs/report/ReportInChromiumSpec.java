package io.sparkcnn.jobs.report;

import io.sparkcnn.jobs.cli.ReportCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.train.TrainJob;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.testing.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A short real training run writes report.html, and headless Chromium shows it with every figure: the page's
 * own check (every image loaded, with a width) is read back from the DOM, and a screenshot is not blank.
 */
class ReportInChromiumSpec {
    private static final File CONF = new File("../conf/lenet5-fashion.conf");
    private static final ConsoleReporter SILENT = new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()));
    private static final List<String> FIGURES = List.of("loss.png", "accuracy.png", "learning_rate.png",
            "throughput.png", "confusion.png");

    @Test
    void aTrainingRunsReportRendersInHeadlessChromiumWithEveryFigure(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(tmp);
        FashionMnist.require();
        JobConfig job = JobConfig.load(CONF, List.of("data.train-limit=3000", "data.test-limit=500",
                "training.epochs=2", "data.validation-fraction=0.1", "training.averaging-frequency=5",
                "training.schedule=cosine"));
        Path run = tmp.resolve("run");

        new TrainJob(job, run, null, SILENT).run();

        JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        int rounds = m.path("rounds").path("loss").size();
        assertTrue(rounds >= 2 * 3, "a loss for every round: " + m.path("rounds"));
        assertEquals(rounds, m.path("rounds").path("images_per_second").size());
        assertEquals(rounds, m.path("rounds").path("learning_rate").size());
        for (JsonNode epoch : m.path("history")) {
            for (String key : List.of("train_loss", "validation_loss", "validation_accuracy", "learning_rate")) {
                assertTrue(epoch.path(key).isNumber(), key + " in " + epoch);
            }
        }
        assertTrue(m.path("test_loss").isNumber() && m.path("test_top5_accuracy").isNumber(), "test results");
        assertTrue(m.path("model_summary").asText().contains("conv1"), "the model summary");
        assertTrue(m.path("config_text").asText().contains("lenet5"), "the configuration");
        assertEquals(org.apache.spark.package$.MODULE$.SPARK_VERSION(), m.path("versions").path("spark").asText());
        assertTrue(m.path("machine").path("cores").asInt() > 0, "the machine");

        Path page = run.resolve(RunReport.FILE);
        assertEquals(FIGURES, RunReportTest.images(Files.readString(page)));
        String dom = chromium.dumpDom(page);
        assertTrue(dom.contains("data-figures=\"5/5\""), "every figure loads:\n" + dom);

        Path shot = tmp.resolve("report.png");
        chromium.screenshot(page, shot, 1200, 2400);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(1200, image.getWidth());
        assertTrue(inkShare(image) > 0.03 && colours(image) > 100, "the screenshot shows the page: ink "
                + inkShare(image) + ", colours " + colours(image));
        // Kept for a person to look at after the build.
        Files.copy(shot, Path.of("target", "report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);

        // The check can fail: a figure gone is counted and named on the page.
        Files.delete(run.resolve("throughput.png"));
        String broken = chromium.dumpDom(page);
        assertTrue(broken.contains("data-figures=\"4/5\"") && broken.contains("figure missing: throughput.png"),
                broken);

        // `report RUN_DIR` draws it all again from metrics.json.
        Files.delete(page);
        assertEquals(0, new CommandLine(new ReportCommand()).execute(run.toString()));
        assertTrue(chromium.dumpDom(page).contains("data-figures=\"5/5\""), "rewritten with every figure");
    }

    /** The share of pixels that are not (near) white. */
    private static double inkShare(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 235 || ((rgb >> 8) & 0xff) < 235 || (rgb & 0xff) < 235) {
                    ink++;
                }
            }
        }
        return (double) ink / ((long) image.getWidth() * image.getHeight());
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                seen.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }
}
