package io.sparkcnn.workers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.testing.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void imagesRoundTripEveryByteAndTheirShape(boolean gzipped) throws IOException {
        byte[] pixels = everyByteValue(4 * 8 * 9);
        String path = write("images.idx3", gzipped, images(4, 8, 9, pixels));

        IdxImages read = IdxReader.readImages(path, HADOOP);

        assertEquals(path, read.source());
        assertEquals(4, read.count());
        assertEquals(8, read.rows());
        assertEquals(9, read.cols());
        assertEquals(72, read.imageBytes());
        assertArrayEquals(pixels, read.pixels());
        assertArrayEquals(Arrays.copyOfRange(pixels, 72, 144), read.image(1));
        assertArrayEquals(Arrays.copyOfRange(pixels, 216, 288), read.image(3));
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void labelsRoundTripEveryByte(boolean gzipped) throws IOException {
        byte[] labels = {0, 9, 3, 3, 1, 0, 8, 2};
        String path = write("labels.idx1", gzipped, labels(labels));

        assertArrayEquals(labels, IdxReader.readLabels(path, HADOOP, 10));
    }

    @Test
    void labelsUpTo255AreUnsignedAndAllowedWhenThereAre256Classes() throws IOException {
        byte[] labels = everyByteValue(256);
        String path = write("labels.idx1", false, labels(labels));

        assertArrayEquals(labels, IdxReader.readLabels(path, HADOOP, 256));
    }

    @Test
    void readsAFileUri() throws IOException {
        byte[] pixels = everyByteValue(2 * 2 * 2);
        String path = write("images.idx3", true, images(2, 2, 2, pixels));

        assertArrayEquals(pixels, IdxReader.readImages("file://" + path, HADOOP).pixels());
    }

    @Test
    void readsTheFashionMnistTestSet() {
        Path imagesFile = FASHION.resolve("t10k-images-idx3-ubyte.gz");
        Path labelsFile = FASHION.resolve("t10k-labels-idx1-ubyte.gz");
        FashionMnist.require();

        IdxImages images = IdxReader.readImages(imagesFile.toString(), HADOOP);
        byte[] labels = IdxReader.readLabels(labelsFile.toString(), HADOOP, 10);

        assertEquals(10000, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.cols());
        assertEquals(10000 * 28 * 28, images.pixels().length);
        assertEquals(10000, labels.length);
        int[] perClass = new int[10];
        for (byte label : labels) {
            assertTrue((label & 0xff) < 10, "label " + (label & 0xff));
            perClass[label]++;
        }
        // The Fashion-MNIST test set is balanced: 1000 of each class.
        int[] thousandEach = new int[10];
        Arrays.fill(thousandEach, 1000);
        assertArrayEquals(thousandEach, perClass);
    }

    @Test
    void aMissingFileIsNamed() {
        String path = dir.resolve("nowhere/t10k-images-idx3-ubyte.gz").toString();

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aFolderIsRefusedByName() {
        String path = dir.toString();

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("folder"), e.getMessage());
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void aLabelFileGivenAsImagesIsRefusedForItsMagic(boolean gzipped) throws IOException {
        String path = write("labels.idx1", gzipped, labels(new byte[] {1, 2, 3}));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
    }

    @Test
    void anImageFileGivenAsLabelsIsRefusedForItsMagic() throws IOException {
        String path = write("images.idx3", false, images(1, 2, 2, new byte[4]));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void aTextFileIsRefusedForItsMagic() throws IOException {
        String path = write("readme.txt", false,
                "This is not an IDX file, just some words about one.\n".getBytes(StandardCharsets.US_ASCII));

        DataException images = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(images.getMessage().contains(path), images.getMessage());
        assertTrue(images.getMessage().contains("magic"), images.getMessage());
        DataException labels = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(labels.getMessage().contains("magic"), labels.getMessage());
    }

    @ParameterizedTest(name = "header bytes kept: {0}")
    @ValueSource(ints = {0, 3, 6, 12})
    void aTruncatedImageHeaderIsReportedAsTruncated(int headerBytesKept) throws IOException {
        byte[] whole = images(2, 3, 3, new byte[18]);
        String path = write("images.idx3", false, Arrays.copyOf(whole, headerBytesKept));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aTruncatedLabelHeaderIsReportedAsTruncated() throws IOException {
        String path = write("labels.idx1", true, Arrays.copyOf(labels(new byte[] {1, 2}), 6));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void aTruncatedImageBodyIsReportedAsTruncated(boolean gzipped) throws IOException {
        byte[] whole = images(4, 3, 3, everyByteValue(36));
        String path = write("images.idx3", gzipped, Arrays.copyOf(whole, whole.length - 10));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("4 images of 3x3"), e.getMessage());
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void aTruncatedLabelBodyIsReportedAsTruncated(boolean gzipped) throws IOException {
        byte[] whole = labels(new byte[] {1, 2, 3, 4, 5});
        String path = write("labels.idx1", gzipped, Arrays.copyOf(whole, whole.length - 2));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("5 labels"), e.getMessage());
    }

    @Test
    void aGzipStreamCutShortIsReportedAsTruncatedNotUnreadable() throws IOException {
        byte[] gzipped = gzip(images(50, 8, 8, randomBytes(50 * 64)));
        Path file = dir.resolve("cut.idx3.gz");
        Files.write(file, Arrays.copyOf(gzipped, gzipped.length / 2));
        String path = file.toString();

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // The header was complete: the message must not send the user looking at it.
        assertFalse(e.getMessage().contains("header"), e.getMessage());
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void bytesAfterTheAnnouncedImagesAreRefused(boolean gzipped) throws IOException {
        byte[] whole = images(2, 2, 2, new byte[8]);
        String path = write("images.idx3", gzipped, Arrays.copyOf(whole, whole.length + 1));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("bytes after"), e.getMessage());
    }

    @Test
    void bytesAfterTheAnnouncedLabelsAreRefused() throws IOException {
        byte[] whole = labels(new byte[] {1, 2});
        String path = write("labels.idx1", false, Arrays.copyOf(whole, whole.length + 5));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("bytes after"), e.getMessage());
    }

    @ParameterizedTest(name = "count={0}")
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void aNonPositiveImageCountIsRefused(int count) throws IOException {
        String path = write("images.idx3", false, header(IdxReader.IMAGES_MAGIC, count, 2, 2));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("image count is " + count), e.getMessage());
    }

    @Test
    void aNonPositiveRowOrColumnCountIsRefused() throws IOException {
        String noRows = write("rows.idx3", false, header(IdxReader.IMAGES_MAGIC, 1, 0, 2));
        String negativeCols = write("cols.idx3", false, header(IdxReader.IMAGES_MAGIC, 1, 2, -3));

        DataException rows = assertThrows(DataException.class, () -> IdxReader.readImages(noRows, HADOOP));
        assertTrue(rows.getMessage().contains("row count is 0"), rows.getMessage());
        DataException cols = assertThrows(DataException.class, () -> IdxReader.readImages(negativeCols, HADOOP));
        assertTrue(cols.getMessage().contains("column count is -3"), cols.getMessage());
    }

    @Test
    void aNonPositiveLabelCountIsRefused() throws IOException {
        String path = write("labels.idx1", true, header(IdxReader.LABELS_MAGIC, 0));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("label count is 0"), e.getMessage());
    }

    @Test
    void aFileThatReallyHoldsMoreThanOneArrayIsRefusedBeforeReading() throws IOException {
        // A sparse file as long as its header says (3 GB): it costs no disk, and nothing of it is read.
        Path file = dir.resolve("huge.idx3");
        Files.write(file, header(IdxReader.IMAGES_MAGIC, 3000, 1000, 1000));
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(16 + 3_000_000_000L);
        }
        String path = file.toString();

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void aHeaderCountTheFileCannotHoldIsACorruptOrTruncatedFileWithBothLengths() throws IOException {
        // The case: a billion 28x28 images announced in a 392 KB file (500 images' worth).
        byte[] whole = concat(header(IdxReader.IMAGES_MAGIC, 1_000_000_000, 28, 28), randomBytes(500 * 784));
        String path = write("images.idx3", false, whole);

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("1000000000 images of 28x28"), e.getMessage());
        assertTrue(e.getMessage().contains("784,000,000,016 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains(String.format("%,d bytes long", whole.length)), e.getMessage());
        assertFalse(e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void aGzippedFileTooSmallToInflateToItsHeaderCountIsCorruptOrTruncated() throws IOException {
        byte[] whole = concat(header(IdxReader.IMAGES_MAGIC, 1_000_000_000, 28, 28), randomBytes(500 * 784));
        String path = write("images.idx3", true, whole);
        long onDisk = Files.size(Path.of(path));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(path, HADOOP));
        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
        assertTrue(e.getMessage().contains(String.format("%,d bytes long", onDisk)), e.getMessage());
        assertFalse(e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void aLabelCountTheFileCannotHoldIsACorruptOrTruncatedFile() throws IOException {
        String path = write("labels.idx1", false, concat(header(IdxReader.LABELS_MAGIC, 60_000), new byte[100]));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("60000 labels (60,008 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("108 bytes long"), e.getMessage());
    }

    @Test
    void aLabelNotBelowTheClassCountIsRefusedWithItsIndex() throws IOException {
        String path = write("labels.idx1", false, labels(new byte[] {0, 9, 10, 3}));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().contains("label 10 at index 2"), e.getMessage());
        assertTrue(e.getMessage().contains("10 classes"), e.getMessage());
    }

    @Test
    void aLabelAbove127IsReportedUnsigned() throws IOException {
        String path = write("labels.idx1", false, labels(new byte[] {1, (byte) 200}));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(path, HADOOP, 10));
        assertTrue(e.getMessage().contains("label 200 at index 1"), e.getMessage());
    }

    // --- IDX files, written the way the format's description says: big-endian ints, then unsigned bytes.

    private String write(String name, boolean gzipped, byte[] content) throws IOException {
        Path file = dir.resolve(gzipped ? name + ".gz" : name);
        Files.write(file, gzipped ? gzip(content) : content);
        return file.toString();
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) throws IOException {
        return concat(header(IdxReader.IMAGES_MAGIC, count, rows, cols), pixels);
    }

    static byte[] labels(byte[] labels) throws IOException {
        return concat(header(IdxReader.LABELS_MAGIC, labels.length), labels);
    }

    private static byte[] header(int... ints) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int i : ints) {
                out.writeInt(i);
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    /** 0, 1, ..., 255, 0, 1, ...: every unsigned value, including those that are negative as Java bytes. */
    private static byte[] everyByteValue(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (i * 7 + 255);
        }
        return out;
    }

    private static byte[] randomBytes(int length) {
        byte[] out = new byte[length];
        new Random(1).nextBytes(out);
        return out;
    }
}
