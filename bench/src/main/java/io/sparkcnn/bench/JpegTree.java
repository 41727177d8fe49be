package io.sparkcnn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcnn.jobs.source.IdxDataset;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-jpegs}: Fashion-MNIST as a folder tree of photo-sized RGB JPEGs ({@code train/<class>/} and
 * {@code test/<class>/}), each item scaled up and laid on seeded colour noise, so that the files weigh what
 * camera images of that size do and a network still learns the classes: the data of the larger-than-memory row.
 */
@Command(name = "bench-jpegs", mixinStandardHelpOptions = true,
        description = "Write Fashion-MNIST as a tree of noisy RGB JPEGs for the larger-than-memory row.")
final class JpegTree implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The tree's root (must not exist).")
    Path out;

    @Option(names = "--train", paramLabel = "N",
            description = "Training images (default 16000; scripts/bench: 24000).")
    int train = 16000;

    @Option(names = "--test", paramLabel = "N", description = "Test images (default 2000).")
    int test = 2000;

    @Option(names = "--size", paramLabel = "PX", description = "Width and height of every image (default 128).")
    int size = 128;

    @Option(names = "--dir", paramLabel = "DIR", description = "Fashion-MNIST's IDX files.")
    String dir = "/usr/share/datasets/fashion-mnist";

    @Option(names = "--json", required = true, paramLabel = "FILE", description = "Where to write the tree's size.")
    File json;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + ": already exists; choose another or remove it.");
        }
        Configuration hadoop = new Configuration();
        long trainBytes = write(IdxDataset.read(dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz",
                10, train, hadoop), out.resolve("train"));
        long testBytes = write(IdxDataset.read(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz",
                10, test, hadoop), out.resolve("test"));
        Map<String, Object> written = new LinkedHashMap<>();
        written.put("root", out.toString());
        written.put("size", size + "x" + size + "x3 JPEG");
        written.put("train_images", train);
        written.put("train_bytes", trainBytes);
        written.put("test_images", test);
        written.put("test_bytes", testBytes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json, written);
        System.out.printf("wrote %s: %,d training JPEGs (%.1f MB), %,d test JPEGs%n", out, train, trainBytes / 1e6,
                test);
        return 0;
    }

    private static int noisy(int value, SplittableRandom random) {
        return Math.max(0, Math.min(255, value + random.nextInt(161) - 80));
    }

    /** Writes every record as {@code root/<label>/<id>.jpg} and returns the bytes written. */
    private long write(IdxDataset data, Path root) throws IOException {
        ImageShape shape = data.shape();
        long bytes = 0;
        for (LabeledImage r : data.records()) {
            BufferedImage item = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_BYTE_GRAY);
            item.getRaster().setDataElements(0, 0, shape.width(), shape.height(), r.pixels());
            BufferedImage photo = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = photo.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(item, 0, 0, size, size, null);
            g.dispose();
            // Colour noise on every pixel: a JPEG of it weighs what a photograph of its size does.
            SplittableRandom random = new SplittableRandom(r.id());
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int v = photo.getRGB(x, y) & 0xff;
                    photo.setRGB(x, y, noisy(v, random) << 16 | noisy(v, random) << 8 | noisy(v, random));
                }
            }
            Path file = root.resolve(Integer.toString(r.label())).resolve(String.format("%05d.jpg", r.id()));
            Files.createDirectories(file.getParent());
            ImageIO.write(photo, "jpg", file.toFile());
            bytes += Files.size(file);
        }
        return bytes;
    }
}
