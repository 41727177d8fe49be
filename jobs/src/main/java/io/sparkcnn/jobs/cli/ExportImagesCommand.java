package io.sparkcnn.jobs.cli;

import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.source.IdxDataset;
import io.sparkcnn.workers.data.LabeledImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code export-images}: writes an IDX dataset (Fashion-MNIST by default) as an ImageNet-style folder tree of PNG
 * files, {@code OUT/train/<class>/<id>.png} and {@code OUT/test/<class>/<id>.png}, so that the folder and
 * packed-shard data paths can be tried on real images without downloading anything.
 */
@Command(name = "export-images", mixinStandardHelpOptions = true,
        description = "Write Fashion-MNIST (or another IDX set) as PNG files in class folders.")
final class ExportImagesCommand implements Callable<Integer> {
    private static final String FASHION = "/usr/share/datasets/fashion-mnist/";
    private static final List<String> FASHION_CLASSES = List.of("t-shirt-top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle-boot");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the tree.")
    Path out;

    @Option(names = "--train-limit", paramLabel = "N", description = "Training images to write (0: all).")
    int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Test images to write (0: all).")
    int testLimit;

    @Option(names = "--dir", paramLabel = "DIR", description = "The IDX files' folder (default " + FASHION + ").")
    String dir = FASHION;

    @Override
    public Integer call() {
        if (Files.exists(out.resolve("train"))) {
            throw new ConfigError("--out " + out + ": already holds a train/ folder; choose another or remove it.");
        }
        Configuration hadoop = new Configuration();
        write(IdxDataset.read(dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz", 10, trainLimit,
                hadoop), out.resolve("train"));
        write(IdxDataset.read(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz", 10, testLimit,
                hadoop), out.resolve("test"));
        System.out.printf("wrote %s (train/ and test/, one folder per class)%n", out);
        return 0;
    }

    private static void write(IdxDataset data, Path root) {
        try {
            for (String name : FASHION_CLASSES) {
                Files.createDirectories(root.resolve(name));
            }
            for (LabeledImage r : data.records()) {
                BufferedImage image = new BufferedImage(data.shape().width(), data.shape().height(),
                        BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, data.shape().width(), data.shape().height(), r.pixels());
                ImageIO.write(image, "png", root.resolve(FASHION_CLASSES.get(r.label()))
                        .resolve(String.format("%05d.png", r.id())).toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write under " + root + ": " + e.getMessage(), e);
        }
    }
}
