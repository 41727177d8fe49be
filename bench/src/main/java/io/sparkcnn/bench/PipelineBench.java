package io.sparkcnn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcnn.workers.augment.AugmentRegistry;
import io.sparkcnn.workers.augment.ImageTransforms;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.data.ImageBatches;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-pipeline}: images per second and per core of the executors' image path on 224x224 RGB JPEGs,
 * on one thread (one core): decoding alone, and decoding with ImageNet-style training augmentation (random
 * resized crop, flip, colour jitter, PCA lighting) and normalisation, as {@link ImageBatches} runs it.
 */
@Command(name = "bench-pipeline", mixinStandardHelpOptions = true,
        description = "Measure decode and decode+augment images/s per core on generated 224x224 JPEGs.")
final class PipelineBench implements Callable<Integer> {
    private static final ImageShape INPUT = new ImageShape(3, 224, 224);

    @Option(names = "--images", paramLabel = "N", description = "Distinct JPEGs (default 200).")
    int images = 200;

    @Option(names = "--seconds", paramLabel = "S", description = "Time per measurement (default 10).")
    double seconds = 10;

    @Option(names = "--json", required = true, paramLabel = "FILE")
    File json;

    @Override
    public Integer call() throws IOException {
        List<LabeledImage> jpegs = jpegs(images);
        Preprocess scale = AugmentRegistry.preprocess(Map.of("normalize", "standardize"));
        ImageBatches decodeOnly = new ImageBatches(null, INPUT, 10, ImageTransforms.evaluation(
                AugmentRegistry.preprocess(Map.of("normalize", "none"))), 0);
        ImageBatches augmented = new ImageBatches(null, INPUT, 10, new ImageTransforms(scale, AugmentRegistry.pipeline(
                List.of(Map.of("type", "random-resized-crop", "height", 224, "width", 224),
                        Map.of("type", "hflip"),
                        Map.of("type", "color-jitter"),
                        Map.of("type", "pca-lighting")))), 0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", "224x224x3 JPEG, quality 90, " + images + " distinct files");
        out.put("decode_images_per_second_per_core", rate(decodeOnly, jpegs));
        out.put("decode_augment_images_per_second_per_core", rate(augmented, jpegs));
        out.put("augmentation", "random-resized-crop 224, hflip, color-jitter 0.4, pca-lighting 0.1, standardize");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json, out);
        System.out.printf(Locale.ROOT, "decode: %,.0f images/s per core; decode + augment: %,.0f images/s per core%n",
                out.get("decode_images_per_second_per_core"), out.get("decode_augment_images_per_second_per_core"));
        return 0;
    }

    /** Images per second on this thread, after a warm-up that loads the native libraries. */
    private double rate(ImageBatches pipeline, List<LabeledImage> jpegs) {
        long end = System.nanoTime() + 2_000_000_000L;
        int epoch = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            pipeline.transform(jpegs.get(i % jpegs.size()), 1, epoch);
        }
        long count = 0;
        long began = System.nanoTime();
        end = began + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            pipeline.transform(jpegs.get((int) (count % jpegs.size())), 1, ++epoch);
            count++;
        }
        return count / ((System.nanoTime() - began) / 1e9);
    }

    /** Photographs-like enough JPEGs: gradients, shapes and noise, so that the codec has real work. */
    private static List<LabeledImage> jpegs(int n) throws IOException {
        Random random = new Random(7);
        List<LabeledImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setPaint(new java.awt.GradientPaint(0, 0, new Color(random.nextInt()), 224, 224,
                    new Color(random.nextInt())));
            g.fillRect(0, 0, 224, 224);
            for (int s = 0; s < 12; s++) {
                g.setColor(new Color(random.nextInt()));
                g.fillOval(random.nextInt(200), random.nextInt(200), 10 + random.nextInt(100), 10 + random.nextInt(100));
            }
            g.dispose();
            for (int p = 0; p < 3000; p++) {
                image.setRGB(random.nextInt(224), random.nextInt(224), random.nextInt());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", bytes);
            out.add(new LabeledImage(i, i % 10, bytes.toByteArray(), "generated-" + i + ".jpg"));
        }
        return out;
    }
}
