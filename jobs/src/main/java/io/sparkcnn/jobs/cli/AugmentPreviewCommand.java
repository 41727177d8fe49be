package io.sparkcnn.jobs.cli;

import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.SampleImages;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.image.Image;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code augment-preview}: a PNG grid of N training images (rows) as evaluation sees them (first column) and as
 * K training epochs see them after the job's augmentation (the other columns), drawn by the same code and seeds
 * as the executors, so that a person can check the pipeline before spending cluster time on it.
 */
@Command(name = "augment-preview", mixinStandardHelpOptions = true,
        description = "Write a PNG grid: N training images x (the evaluation view + K augmented epochs).")
final class AugmentPreviewCommand implements Callable<Integer> {
    private static final int GAP = 2;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The job's config file.")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--images", paramLabel = "N", description = "Rows: training images (default 8).")
    int images = 8;

    @Option(names = "--variants", paramLabel = "K", description = "Columns: augmented epochs (default 6).")
    int variants = 6;

    @Option(names = "--out", paramLabel = "FILE", description = "The PNG to write (default augment-preview.png).")
    Path out = Path.of("augment-preview.png");

    @Override
    public Integer call() {
        JobConfig job = JobConfig.load(config, overrides);
        if (images < 1 || variants < 1) {
            throw new ConfigError("--images and --variants must be at least 1.");
        }
        List<Image> originals = SampleImages.firstTraining(job, images, "augment-preview");
        Preprocess p = job.data().preprocess();
        List<List<Image>> rows = new ArrayList<>();
        for (int i = 0; i < originals.size(); i++) {
            Image geometry = p.geometry(originals.get(i));
            List<Image> row = new ArrayList<>();
            row.add(geometry);
            for (int epoch = 1; epoch <= variants; epoch++) {
                row.add(job.data().augment().apply(geometry, job.seed(), epoch, i));
            }
            rows.add(row);
        }
        write(rows, out);
        System.out.printf("wrote %s: %d images x (evaluation view + %d epochs of %s)%n", out, rows.size(), variants,
                job.data().augment().steps().isEmpty() ? "no augmentation" : job.data().augment().steps());
        return 0;
    }

    private static void write(List<List<Image>> rows, Path file) {
        int cellH = rows.stream().flatMap(List::stream).mapToInt(Image::height).max().orElse(1);
        int cellW = rows.stream().flatMap(List::stream).mapToInt(Image::width).max().orElse(1);
        int columns = rows.get(0).size();
        BufferedImage grid = new BufferedImage(columns * (cellW + GAP) + GAP, rows.size() * (cellH + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                grid.setRGB(x, y, 0x404040);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns; c++) {
                draw(grid, rows.get(r).get(c), GAP + c * (cellW + GAP), GAP + r * (cellH + GAP));
            }
        }
        try {
            ImageIO.write(grid, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void draw(BufferedImage grid, Image image, int left, int top) {
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int r = clamp(image.get(y, x, 0));
                int g = image.channels() == 3 ? clamp(image.get(y, x, 1)) : r;
                int b = image.channels() == 3 ? clamp(image.get(y, x, 2)) : r;
                grid.setRGB(left + x, top + y, (r << 16) | (g << 8) | b);
            }
        }
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
