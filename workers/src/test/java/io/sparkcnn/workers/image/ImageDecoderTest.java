package io.sparkcnn.workers.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.image.BadImageException.Reason;
import io.sparkcnn.workers.testing.ImageTrees;
import io.sparkcnn.workers.testing.ImageTrees.Drawn;
import io.sparkcnn.workers.testing.ImageTrees.Plant;
import io.sparkcnn.workers.testing.ImageTrees.Spec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    @TempDir
    Path dir;

    @Test
    void everyDrawnImageOfATreeDecodesToWhatWasDrawn() throws IOException {
        ImageTrees.Tree tree = ImageTrees.write(dir, Spec.of(3, 4, Plant.PNG_16_BIT, Plant.PALETTE_PNG, Plant.GIF,
                Plant.BMP, Plant.PNG_NAMED_JPG));

        for (Drawn drawn : tree.images()) {
            Image decoded = decode(drawn.path(), 3);
            assertEquals(drawn.expected().toString(), decoded.toString(), drawn.path().toString());
            if (drawn.lossy()) {
                // Chroma upsampling blurs the square's edges (mean error about 5 on 16x16); away from them
                // quality 0.95 is within a few levels, while a channel swap would cost over a hundred.
                assertTrue(meanAbsoluteError(drawn.expected(), decoded) < 8, drawn.path() + " mean error "
                        + meanAbsoluteError(drawn.expected(), decoded));
                int q = drawn.expected().width() / 4;
                for (int[] at : new int[][] {{q, q}, {q, 3 * q}, {3 * q, q}, {3 * q, 3 * q}}) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(drawn.expected().get(at[0], at[1], c), decoded.get(at[0], at[1], c), 6,
                                drawn.path() + " at " + Arrays.toString(at) + " channel " + c);
                    }
                }
            } else {
                assertEquals(0, maxAbsoluteError(drawn.expected(), decoded), drawn.path().toString());
            }
        }
    }

    @Test
    void aCmykJpegDecodesToTheColourOfItsInk() throws IOException {
        Path file = ImageTrees.write(dir, Spec.of(1, 0, Plant.CMYK_JPEG)).plantedPath(Plant.CMYK_JPEG);

        Image image = decode(file, 3);

        for (int c = 0; c < 3; c++) {
            assertEquals(ImageTrees.CMYK_RGB[c], image.get(5, 5, c), 6, "channel " + c);
        }
    }

    @Test
    void sixteenBitSamplesAreScaledToBytes() {
        Image drawn = ImageTrees.draw(2, 1, 10);

        Image decoded = ImageDecoder.decode(ImageTrees.png16(drawn), "deep.png", 3);

        assertEquals(0, maxAbsoluteError(drawn, decoded));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"png", "gif"})
    void paletteImagesDecodeToTheirColours(String format) {
        Image drawn = ImageTrees.draw(4, 2, 10);

        Image decoded = ImageDecoder.decode(ImageTrees.indexed(drawn, format), "palette." + format, 3);

        assertEquals(0, maxAbsoluteError(drawn, decoded));
    }

    @Test
    void greyIsTheBt601LumaOfRgb() {
        Image drawn = ImageTrees.draw(0, 0, 16);

        Image grey = ImageDecoder.decode(ImageTrees.png(drawn), "x.png", 1);

        assertEquals(1, grey.channels());
        float expected = 0.299f * 200 + 0.587f * 40 + 0.114f * 40; // the class colour, outside the square
        assertEquals(expected, grey.get(15, 15, 0), 1f);
        assertEquals(255 - expected, grey.get(0, 0, 0), 1f);
    }

    @Test
    void greyImagesAreRepeatedIntoRgb() {
        BufferedImage grey = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 2, 0, 77);

        Image rgb = ImageDecoder.decode(ImageTrees.encode(grey, "png"), "grey.png", 3);

        assertEquals(77, rgb.get(2, 1, 0));
        assertEquals(77, rgb.get(2, 1, 1));
        assertEquals(77, rgb.get(2, 1, 2));
        assertEquals(0, rgb.get(0, 0, 1));
    }

    @Test
    void alphaIsDroppedNotBlended() {
        BufferedImage rgba = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x10_c8_28_50); // almost transparent, colour (200, 40, 80)

        Image image = ImageDecoder.decode(ImageTrees.encode(rgba, "png"), "rgba.png", 3);

        assertEquals(3, image.channels());
        assertEquals(200, image.get(0, 0, 0));
        assertEquals(40, image.get(0, 0, 1));
        assertEquals(80, image.get(0, 0, 2));
    }

    @Test
    void greyWithAlphaDecodesToItsGrey() {
        // A 1x1 grey+alpha PNG (colour type 4), grey 90 and alpha 30, made by hand: ImageIO does not write one.
        byte[] png = hex("89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c020000000b49444154789c63"
                + "8892030000d500794a37ed650000000049454e44ae426082");

        Image image = ImageDecoder.decode(png, "ga.png", 3);

        assertEquals(90, image.get(0, 0, 0));
        assertEquals(90, image.get(0, 0, 1));
        assertEquals(90, image.get(0, 0, 2));
    }

    @Test
    void aZeroByteFileIsEmpty() {
        assertReason(Reason.EMPTY, new byte[0], "a/empty.jpg");
    }

    @Test
    void textNamedJpgIsNotAnImage() {
        DataException error = assertReason(Reason.NOT_AN_IMAGE, "hello\n".getBytes(), "cats/notes.jpg");
        assertTrue(error.getMessage().startsWith("cats/notes.jpg: not an image"), error.getMessage());
    }

    @Test
    void theTreesCorruptAndTruncatedJpegsAreReportedAsSuch() throws IOException {
        ImageTrees.Tree tree = ImageTrees.write(dir, Spec.of(1, 0, Plant.CORRUPT_JPEG, Plant.TRUNCATED_JPEG,
                Plant.TEXT_AS_JPEG, Plant.ZERO_BYTE_FILE));

        assertFileReason(Reason.CORRUPT, tree.plantedPath(Plant.CORRUPT_JPEG));
        assertFileReason(Reason.TRUNCATED, tree.plantedPath(Plant.TRUNCATED_JPEG));
        assertFileReason(Reason.NOT_AN_IMAGE, tree.plantedPath(Plant.TEXT_AS_JPEG));
        assertFileReason(Reason.EMPTY, tree.plantedPath(Plant.ZERO_BYTE_FILE));
    }

    /** libjpeg would pad every one of these with grey; each must be refused instead. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jpeg", "png", "gif", "bmp"})
    void everyTruncationIsRefusedAsTruncated(String format) {
        Image drawn = ImageTrees.draw(1, 0, 16);
        byte[] full = switch (format) {
            case "jpeg" -> ImageTrees.jpeg(drawn);
            case "gif" -> ImageTrees.indexed(drawn, "gif");
            default -> ImageTrees.encode(ImageTrees.rgb(drawn), format);
        };
        ImageDecoder.decode(full, "whole", 3);
        for (int length = 8; length < full.length; length++) {
            byte[] cut = Arrays.copyOf(full, length);
            DataException error = assertThrows(DataException.class, () -> ImageDecoder.decode(cut, "cut", 3),
                    format + " cut to " + cut.length + " of " + full.length + " bytes decoded");
            Reason reason = BadImageException.in(error).orElseThrow().reason();
            assertTrue(reason == Reason.TRUNCATED || reason == Reason.CORRUPT, length + ": " + error.getMessage());
        }
        byte[] mostly = Arrays.copyOf(full, full.length - 3);
        assertReason(Reason.TRUNCATED, mostly, "mostly." + format);
    }

    @Test
    void randomBytesNeverCrashOrHang() {
        Random random = new Random(7);
        byte[][] prefixes = {{}, {(byte) 0xff, (byte) 0xd8, (byte) 0xff}, Arrays.copyOf(ImageTrees.png(
                ImageTrees.draw(0, 0, 4)), 8), "GIF89a".getBytes(), "BM".getBytes()};
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 400; i++) {
                byte[] prefix = prefixes[i % prefixes.length];
                byte[] bytes = new byte[prefix.length + random.nextInt(2000)];
                random.nextBytes(bytes);
                System.arraycopy(prefix, 0, bytes, 0, prefix.length);
                decodeOrBadImage(bytes);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jpeg", "png", "gif", "bmp"})
    void flippedBytesEitherDecodeOrAreBadImages(String format) {
        Image drawn = ImageTrees.draw(3, 1, 24);
        byte[] good = switch (format) {
            case "jpeg" -> ImageTrees.jpeg(drawn);
            case "gif" -> ImageTrees.indexed(drawn, "gif");
            default -> ImageTrees.encode(ImageTrees.rgb(drawn), format);
        };
        Random random = new Random(11);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 300; i++) {
                byte[] bytes = good.clone();
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                decodeOrBadImage(bytes);
            }
        });
    }

    private static void decodeOrBadImage(byte[] bytes) {
        try {
            Image image = ImageDecoder.decode(bytes, "fuzz", 3);
            assertEquals(3, image.channels());
        } catch (DataException e) {
            assertTrue(BadImageException.in(e).isPresent(), "no reason code: " + e);
            assertTrue(e.getMessage().startsWith("fuzz: "), e.getMessage());
        }
    }

    private static Image decode(Path file, int channels) throws IOException {
        return ImageDecoder.decode(Files.readAllBytes(file), file.toString(), channels);
    }

    private static void assertFileReason(Reason reason, Path file) throws IOException {
        assertReason(reason, Files.readAllBytes(file), file.toString());
    }

    private static DataException assertReason(Reason reason, byte[] bytes, String path) {
        DataException error = assertThrows(DataException.class, () -> ImageDecoder.decode(bytes, path, 3));
        BadImageException bad = BadImageException.in(error).orElseThrow();
        assertEquals(reason, bad.reason(), error.getMessage());
        assertEquals(path, bad.path());
        assertTrue(error.getMessage().startsWith(path + ": " + reason.text()), error.getMessage());
        return error;
    }

    private static double meanAbsoluteError(Image a, Image b) {
        double sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs(a.pixels()[i] - b.pixels()[i]);
        }
        return sum / a.pixels().length;
    }

    private static float maxAbsoluteError(Image a, Image b) {
        assertEquals(a.toString(), b.toString());
        float max = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            max = Math.max(max, Math.abs(a.pixels()[i] - b.pixels()[i]));
        }
        return max;
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
