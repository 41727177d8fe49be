package io.sparkcnn.workers.testing;

import io.sparkcnn.workers.image.Image;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.awt.color.ColorSpace;
import java.awt.Transparency;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes small ImageNet-style trees ({@code root/<class>/<image>}, or with {@code train/} and {@code val/}
 * above the classes) for tests: each class has its own colours, so a network could learn it, and problems
 * are planted on request. The returned {@link Tree} says what was drawn and planted where, so a test can
 * compare decoded pixels with drawn ones and reported problems with planted ones.
 */
public final class ImageTrees {
    /** Things a tree can hold besides its good images; the comment says who should notice. */
    public enum Plant {
        CORRUPT_JPEG,      // decoder: its header tables are zeroed
        TRUNCATED_JPEG,    // decoder: cut at 60%
        ZERO_BYTE_FILE,    // scanner
        TEXT_AS_JPEG,      // decoder: a text file named .jpg
        HIDDEN_FILE,       // scanner: a .DS_Store
        EMPTY_CLASS,       // scanner: a class folder with no files
        FILE_IN_ROOT,      // scanner: a file next to the class folders
        CLASS_MISSING_FROM_VAL, // scanner: with train/ and val/, the last class only has train images
        CMYK_JPEG,         // decodes: an Adobe CMYK JPEG of a known colour
        PNG_16_BIT,        // decodes
        PALETTE_PNG,       // decodes
        GIF,               // decodes
        BMP,               // decodes
        PNG_NAMED_JPG      // decodes: the extension lies, the content does not
    }

    /** The tree to write: {@code imagesPerClass} good images per class (per split when {@code presplit}). */
    public record Spec(int classes, int imagesPerClass, int size, boolean presplit, Set<Plant> plants) {
        public static Spec of(int classes, int imagesPerClass, Plant... plants) {
            Set<Plant> set = EnumSet.noneOf(Plant.class);
            set.addAll(Arrays.asList(plants));
            return new Spec(classes, imagesPerClass, 16, false, set);
        }

        public Spec withTrainAndVal() {
            return new Spec(classes, imagesPerClass, size, true, plants);
        }

        public Spec without(Plant plant) {
            Set<Plant> fewer = EnumSet.noneOf(Plant.class);
            fewer.addAll(plants);
            fewer.remove(plant);
            return new Spec(classes, imagesPerClass, size, presplit, fewer);
        }
    }

    /** A decodable image: where, its class, what was drawn (RGB) and whether its encoding is lossy. */
    public record Drawn(Path path, String className, int label, Image expected, boolean lossy) {}

    public record Planted(Plant plant, Path path) {}

    public record Tree(Path root, List<String> classNames, List<Drawn> images, List<Planted> planted) {
        public Path plantedPath(Plant plant) {
            return planted.stream().filter(p -> p.plant() == plant).findFirst().orElseThrow().path();
        }
    }

    private static final String[] NAMES = {"apple", "banana", "cherry", "damson", "elder", "fig", "grape", "hazel"};
    private static final int[][] COLOURS = {
        {200, 40, 40}, {40, 160, 60}, {50, 70, 200}, {220, 200, 40},
        {150, 60, 170}, {40, 190, 190}, {240, 140, 60}, {110, 110, 110}};

    /** The CMYK sample's ink (C, M, Y, K in 0..1) and the RGB it should decode to without a colour profile. */
    public static final double[] CMYK_INK = {0.0, 0.6, 0.9, 0.1};
    public static final float[] CMYK_RGB = {229.5f, 91.8f, 23.0f};

    private ImageTrees() {}

    public static Tree write(Path root, Spec spec) {
        if (spec.classes() > NAMES.length) {
            throw new IllegalArgumentException("at most " + NAMES.length + " classes");
        }
        List<String> names = List.of(NAMES).subList(0, spec.classes());
        List<Drawn> images = new ArrayList<>();
        List<Planted> planted = new ArrayList<>();
        List<String> splits = spec.presplit() ? List.of("train", "val") : List.of("");
        for (String split : splits) {
            for (int label = 0; label < names.size(); label++) {
                boolean skip = split.equals("val") && label == names.size() - 1
                        && spec.plants().contains(Plant.CLASS_MISSING_FROM_VAL);
                if (skip) {
                    planted.add(new Planted(Plant.CLASS_MISSING_FROM_VAL, root.resolve(split).resolve(names.get(label))));
                    continue;
                }
                Path folder = root.resolve(split).resolve(names.get(label));
                for (int variant = 0; variant < spec.imagesPerClass(); variant++) {
                    Image image = draw(label, variant, spec.size());
                    boolean jpeg = variant % 2 == 0;
                    // Every third image one folder deeper: nested files belong to their class.
                    Path dir = variant % 3 == 2 ? folder.resolve("more") : folder;
                    Path file = dir.resolve(names.get(label) + "_" + variant + (jpeg ? ".jpg" : ".png"));
                    write(file, jpeg ? jpeg(image) : png(image));
                    images.add(new Drawn(file, names.get(label), label, image, jpeg));
                }
            }
        }
        Path firstClass = root.resolve(splits.get(0)).resolve(names.get(0));
        for (Plant plant : spec.plants()) {
            if (plant != Plant.CLASS_MISSING_FROM_VAL) {
                plant(plant, root, firstClass, spec.size(), images, planted);
            }
        }
        return new Tree(root, names, images, planted);
    }

    private static void plant(Plant plant, Path root, Path dir, int size, List<Drawn> images, List<Planted> planted) {
        String name = NAMES[0];
        Image image = draw(0, 7, size);
        Path file = switch (plant) {
            case CORRUPT_JPEG -> write(dir.resolve("corrupt.jpg"), zeroed(jpeg(image), 2, 80));
            case TRUNCATED_JPEG -> {
                byte[] full = jpeg(image);
                yield write(dir.resolve("truncated.jpg"), Arrays.copyOf(full, full.length * 6 / 10));
            }
            case ZERO_BYTE_FILE -> write(dir.resolve("empty.jpg"), new byte[0]);
            case TEXT_AS_JPEG -> write(dir.resolve("notes.jpg"), "not a picture\n".getBytes(StandardCharsets.UTF_8));
            case HIDDEN_FILE -> write(dir.resolve(".DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
            case EMPTY_CLASS -> mkdirs(dir.getParent().resolve("zz_empty"));
            case FILE_IN_ROOT -> write(root.resolve("README.txt"), "labels are folder names\n".getBytes());
            case CMYK_JPEG -> {
                Path f = write(dir.resolve("cmyk.jpg"), cmykJpeg(size, CMYK_INK));
                images.add(new Drawn(f, name, 0, solid(size, CMYK_RGB), true));
                yield f;
            }
            case PNG_16_BIT -> drawn(images, name, write(dir.resolve("deep.png"), png16(image)), image, false);
            case PALETTE_PNG -> drawn(images, name, write(dir.resolve("palette.png"), indexed(image, "png")), image,
                    false);
            case GIF -> drawn(images, name, write(dir.resolve("first.gif"), indexed(image, "gif")), image, false);
            case BMP -> drawn(images, name, write(dir.resolve("plain.bmp"), encode(rgb(image), "bmp")), image, false);
            case PNG_NAMED_JPG -> drawn(images, name, write(dir.resolve("really_png.jpg"), png(image)), image, false);
            case CLASS_MISSING_FROM_VAL -> throw new IllegalStateException("planted while writing the classes");
        };
        planted.add(new Planted(plant, file));
    }

    private static Path drawn(List<Drawn> images, String name, Path file, Image image, boolean lossy) {
        images.add(new Drawn(file, name, 0, image, lossy));
        return file;
    }

    /**
     * The class colour with a square of its complement in one of four quadrants, chosen by {@code variant}:
     * varied within a class, distinct between classes, two colours so that palette formats hold it exactly, and
     * edges on the 8-pixel grid so that JPEG's blocks and chroma subsampling keep it close.
     */
    public static Image draw(int label, int variant, int size) {
        int[] colour = COLOURS[label];
        Image image = Image.blank(size, size, 3);
        int side = size / 2;
        int x0 = (variant % 2) * side;
        int y0 = ((variant / 2) % 2) * side;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean square = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                for (int c = 0; c < 3; c++) {
                    image.set(y, x, c, square ? 255 - colour[c] : colour[c]);
                }
            }
        }
        return image;
    }

    public static Image solid(int size, float[] rgb) {
        Image image = Image.blank(size, size, 3);
        for (int i = 0; i < size * size; i++) {
            System.arraycopy(rgb, 0, image.pixels(), 3 * i, 3);
        }
        return image;
    }

    public static BufferedImage rgb(Image image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int r = (int) image.get(y, x, 0);
                int g = (int) image.get(y, x, 1);
                int b = (int) image.get(y, x, 2);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    public static byte[] png(Image image) {
        return encode(rgb(image), "png");
    }

    /** Quality 0.95, so that a test can compare decoded pixels with drawn ones closely. */
    public static byte[] jpeg(Image image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        return write(writer, new IIOImage(rgb(image), null, null), param);
    }

    /** RGB at 16 bits per sample, each 8-bit value v stored as v * 257 so that it decodes back to v. */
    public static byte[] png16(Image image) {
        ColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16},
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(image.width(), image.height());
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    raster.setSample(x, y, c, (int) image.get(y, x, c) * 257);
                }
            }
        }
        return encode(new BufferedImage(model, raster, false, null), "png");
    }

    /** A palette image holding exactly the drawn colours (at most 256). */
    public static byte[] indexed(Image image, String format) {
        BufferedImage rgb = rgb(image);
        int[] palette = Arrays.stream(rgb.getRGB(0, 0, image.width(), image.height(), null, 0, image.width()))
                .map(argb -> argb & 0xffffff).distinct().toArray();
        byte[] r = new byte[palette.length];
        byte[] g = new byte[palette.length];
        byte[] b = new byte[palette.length];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        IndexColorModel model = new IndexColorModel(8, palette.length, r, g, b);
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_INDEXED, model);
        out.getGraphics().drawImage(rgb, 0, 0, null);
        return encode(out, format);
    }

    /**
     * A real four-component JPEG as Photoshop writes it: an Adobe APP14 segment (transform 0, so no YCCK)
     * and inverted CMYK samples; the JDK writer only takes the raster, the Adobe segment is spliced in.
     */
    public static byte[] cmykJpeg(int size, double[] ink) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, size, size, 4, null);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 4; c++) {
                    raster.setSample(x, y, c, (int) Math.round(255 * (1 - ink[c])));
                }
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        byte[] plain = write(writer, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        byte[] adobe = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] out = new byte[plain.length + adobe.length];
        System.arraycopy(plain, 0, out, 0, 2);
        System.arraycopy(adobe, 0, out, 2, adobe.length);
        System.arraycopy(plain, 2, out, 2 + adobe.length, plain.length - 2);
        return out;
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] zeroed(byte[] bytes, int from, int to) {
        byte[] out = bytes.clone();
        Arrays.fill(out, from, Math.min(to, out.length), (byte) 0);
        return out;
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
