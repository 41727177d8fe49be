package io.sparkcnn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imagenet-tree}: an ImageNet-shaped folder tree of synthetic JPEGs ({@code train/<wnid>/<wnid>_<i>.JPEG}
 * and {@code val/<wnid>/...}, 1,000 classes by default), for trying the folder source, {@code prepare} and
 * training at ImageNet's file counts without ImageNet. Every image has its own size and aspect ratio, as
 * photographs do, and a few are greyscale, as a few ImageNet files are. The classes are learnable: a class is one
 * of 5 shapes in one of 10 colours on one of 20 background colours (5 x 10 x 20 = 1,000), drawn at a random
 * place, size and angle with jittered colours and noise, all of which survive a resize to 32x32.
 * Every image is drawn from (seed, split, class, index) alone, so the tree is the same whatever the thread count.
 */
@Command(name = "imagenet-tree", mixinStandardHelpOptions = true,
        description = "Write an ImageNet-shaped tree of synthetic JPEGs (1,000 learnable classes, mixed sizes).")
final class ImageNetTree implements Callable<Integer> {
    /** ImageNet-1k's training set: 1,281,167 files. */
    static final int IMAGENET_TRAIN_FILES = 1_281_167;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The tree's root (must not exist).")
    Path out;

    @Option(names = "--files", paramLabel = "N",
            description = "Training files in all, spread evenly over the classes (default: ImageNet's 1,281,167).")
    int files = IMAGENET_TRAIN_FILES;

    @Option(names = "--val-per-class", paramLabel = "N",
            description = "Validation files per class, in val/ (default 50, as ImageNet's 50,000).")
    int valPerClass = 50;

    @Option(names = "--classes", paramLabel = "N", description = "Classes, at most 1,000 (default 1,000).")
    int classes = 1000;

    @Option(names = "--min-side", paramLabel = "PX",
            description = "The smallest shorter side of an image (default 64).")
    int minSide = 64;

    @Option(names = "--max-side", paramLabel = "PX",
            description = "The largest shorter side of an image (default 160: ImageNet's are about 3x larger,"
                    + " which would take 20x the disk for the same file count).")
    int maxSide = 160;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every drawing (default 7).")
    long seed = 7;

    @Option(names = "--threads", paramLabel = "N", description = "Drawing threads (default: the cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", paramLabel = "FILE", description = "Where to write the tree's counts and size.")
    File json;

    private static final String[] SPLITS = {"train", "val"};

    @Override
    public Integer call() throws Exception {
        if (classes < 1 || classes > 1000) {
            throw new IllegalArgumentException("--classes " + classes + ": must be 1 to 1,000.");
        }
        if (files < classes) {
            throw new IllegalArgumentException("--files " + files + ": fewer than one per class (--classes "
                    + classes + ").");
        }
        if (minSide < 8 || maxSide < minSide) {
            throw new IllegalArgumentException("--min-side " + minSide + " --max-side " + maxSide
                    + ": need 8 <= min-side <= max-side.");
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + ": already exists; choose another or remove it.");
        }
        // One OpenCV thread per drawing thread: its own pool would only oversubscribe the cores.
        opencv_core.setNumThreads(1);
        long began = System.nanoTime();
        AtomicLong bytes = new AtomicLong();
        AtomicLong written = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int split = 0; split < SPLITS.length; split++) {
                for (int c = 0; c < classes; c++) {
                    int count = split == 0 ? files / classes + (c < files % classes ? 1 : 0) : valPerClass;
                    int s = split;
                    int cls = c;
                    work.add(pool.submit(() -> {
                        bytes.addAndGet(writeClass(s, cls, count));
                        long done = written.addAndGet(count);
                        if (cls % 100 == 99) {
                            System.out.printf("imagenet-tree: %s %d/%d classes, %,d files so far%n", SPLITS[s],
                                    cls + 1, classes, done);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("root", out.toString());
        facts.put("classes", classes);
        facts.put("train_files", files);
        facts.put("val_files", (long) valPerClass * classes);
        facts.put("bytes", bytes.get());
        facts.put("shorter_side_px", minSide + "-" + maxSide);
        facts.put("seconds", seconds);
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json, facts);
        }
        System.out.printf("imagenet-tree: wrote %s: %,d training and %,d validation JPEGs of %d classes, %.2f GB,"
                + " in %.0f s%n", out, files, (long) valPerClass * classes, classes, bytes.get() / 1e9, seconds);
        return 0;
    }

    /** ImageNet's folder names are WordNet ids (n01440764, ...); ours have the same shape. */
    static String wnid(int c) {
        return String.format("n%08d", 1_000_000 + c);
    }

    private long writeClass(int split, int c, int count) throws IOException {
        Path dir = out.resolve(SPLITS[split]).resolve(wnid(c));
        Files.createDirectories(dir);
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + split * 1_000_000_007L
                    + (long) c * 2_000_003L + i);
            byte[] jpeg = encode(draw(c, minSide, maxSide, random));
            Path file = dir.resolve(String.format("%s_%d.JPEG", wnid(c), i));
            Files.write(file, jpeg);
            bytes += jpeg.length;
        }
        return bytes;
    }

    /** The class's look: which shape, its colour and the background's, from the class index alone. */
    record Look(int shape, Color foreground, Color background) {
        static Look of(int c) {
            // 10 foreground hues around the wheel; 20 backgrounds: 10 hues at two brightnesses.
            Color fg = Color.getHSBColor((c / 5 % 10) / 10f, 0.9f, 0.95f);
            int b = c / 50 % 20;
            Color bg = Color.getHSBColor((b % 10) / 10f + 0.05f, 0.45f, b < 10 ? 0.35f : 0.75f);
            return new Look(c % 5, fg, bg);
        }
    }

    static BufferedImage draw(int c, int minSide, int maxSide, SplittableRandom random) {
        int shorter = minSide + random.nextInt(maxSide - minSide + 1);
        double aspect = 1 + random.nextDouble() * 0.5;  // the longer side over the shorter: 1 to 3:2
        boolean landscape = random.nextInt(4) != 0;
        int w = landscape ? (int) Math.round(shorter * aspect) : shorter;
        int h = landscape ? shorter : (int) Math.round(shorter * aspect);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Look look = Look.of(c);
        g.setColor(jitter(look.background(), random));
        g.fillRect(0, 0, w, h);
        // Clutter: a few faint strokes of random colours, as backgrounds have.
        for (int k = 0; k < 3; k++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 60));
            g.setStroke(new BasicStroke(1 + random.nextInt(3)));
            g.drawLine(random.nextInt(w), random.nextInt(h), random.nextInt(w), random.nextInt(h));
        }
        double size = Math.min(w, h) * (0.45 + random.nextDouble() * 0.3);
        double cx = w / 2.0 + (random.nextDouble() - 0.5) * (w - size) * 0.8;
        double cy = h / 2.0 + (random.nextDouble() - 0.5) * (h - size) * 0.8;
        g.setTransform(AffineTransform.getRotateInstance(random.nextDouble() * Math.PI * 2, cx, cy));
        g.setColor(jitter(look.foreground(), random));
        int s = (int) size;
        int x = (int) (cx - size / 2);
        int y = (int) (cy - size / 2);
        switch (look.shape()) {
            case 0 -> g.fillOval(x, y, s, s);
            case 1 -> g.fillRect(x, y, s, s);
            case 2 -> g.fillPolygon(new Polygon(new int[] {x + s / 2, x + s, x}, new int[] {y, y + s, y + s}, 3));
            case 3 -> {
                for (int k = 0; k < 4; k++) {
                    g.fillRect(x, y + k * s / 4, s, s / 8);
                }
            }
            default -> {
                g.fillRect(x + s / 3, y, s / 3, s);
                g.fillRect(x, y + s / 3, s, s / 3);
            }
        }
        g.dispose();
        addNoise(image, random);
        // About one ImageNet file in 500 is greyscale; so is one of ours.
        if (random.nextInt(500) == 0) {
            BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D gg = grey.createGraphics();
            gg.drawImage(image, 0, 0, null);
            gg.dispose();
            return grey;
        }
        return image;
    }

    private static Color jitter(Color c, SplittableRandom random) {
        return new Color(clamp(c.getRed() + random.nextInt(41) - 20), clamp(c.getGreen() + random.nextInt(41) - 20),
                clamp(c.getBlue() + random.nextInt(41) - 20));
    }

    private static void addNoise(BufferedImage image, SplittableRandom random) {
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) clamp((pixels[i] & 0xff) + random.nextInt(25) - 12);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /**
     * JPEG through OpenCV's libjpeg-turbo, several times faster than ImageIO's encoder, which matters at a million
     * files.
     */
    static byte[] encode(BufferedImage image) {
        byte[] raw = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int channels = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
        try (Mat mat = new Mat(image.getHeight(), image.getWidth(), opencv_core.CV_8UC(channels));
             BytePointer jpeg = new BytePointer();
             IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 90)) {
            ((ByteBuffer) mat.createBuffer()).put(raw);
            if (!opencv_imgcodecs.imencode(".jpg", mat, jpeg, params)) {
                throw new UncheckedIOException(new IOException("OpenCV could not encode a " + image.getWidth()
                        + "x" + image.getHeight() + " image as JPEG"));
            }
            byte[] bytes = new byte[(int) jpeg.limit()];
            jpeg.get(bytes);
            return bytes;
        }
    }
}
