package io.sparkcnn.jobs.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {
    private static final Configuration HADOOP = new Configuration();
    private static final int ROWS = 3;
    private static final int COLS = 5;

    @TempDir
    Path dir;

    @Test
    void recordsHaveIdsInFileOrderWithTheirOwnLabelAndPixels() throws IOException {
        String images = writeImages("images.idx3.gz", 6);
        String labels = writeLabels("labels.idx1.gz", 3, 1, 4, 1, 5, 9);

        IdxDataset dataset = IdxDataset.read(images, labels, 10, 0, HADOOP);

        assertEquals(6, dataset.size());
        int[] expectedLabels = {3, 1, 4, 1, 5, 9};
        for (int i = 0; i < 6; i++) {
            LabeledImage record = dataset.records().get(i);
            assertEquals(i, record.id());
            assertEquals(expectedLabels[i], record.label(), "record " + i);
            assertArrayEquals(pixelsOf(i), record.pixels(), "record " + i);
        }
        assertEquals(images, dataset.imagesPath());
    }

    @Test
    void theShapeIsOneChannelOfRowsByCols() throws IOException {
        IdxDataset dataset = IdxDataset.read(writeImages("images.idx3", 2), writeLabels("labels.idx1", 0, 1),
                2, 0, HADOOP);

        assertEquals(new ImageShape(1, ROWS, COLS), dataset.shape());
        assertEquals(ROWS, dataset.shape().height());
        assertEquals(COLS, dataset.shape().width());
    }

    @Test
    void aLimitKeepsTheFirstRecordsInFileOrder() throws IOException {
        String images = writeImages("images.idx3", 8);
        String labels = writeLabels("labels.idx1", 7, 6, 5, 4, 3, 2, 1, 0);

        IdxDataset dataset = IdxDataset.read(images, labels, 10, 3, HADOOP);

        assertEquals(3, dataset.size());
        for (int i = 0; i < 3; i++) {
            LabeledImage record = dataset.records().get(i);
            assertEquals(i, record.id());
            assertEquals(7 - i, record.label());
            assertArrayEquals(pixelsOf(i), record.pixels());
        }
    }

    @Test
    void aLimitAboveTheFileSizeOrZeroKeepsEverything() throws IOException {
        String images = writeImages("images.idx3", 4);
        String labels = writeLabels("labels.idx1", 0, 1, 0, 1);

        assertEquals(4, IdxDataset.read(images, labels, 2, 100, HADOOP).size());
        assertEquals(4, IdxDataset.read(images, labels, 2, 0, HADOOP).size());
    }

    @Test
    void moreImagesThanLabelsIsRefusedNamingBothFiles() throws IOException {
        String images = writeImages("images.idx3", 5);
        String labels = writeLabels("labels.idx1", 0, 1, 2, 3);

        DataException e = assertThrows(DataException.class, () -> IdxDataset.read(images, labels, 10, 0, HADOOP));
        assertTrue(e.getMessage().contains(images), e.getMessage());
        assertTrue(e.getMessage().contains(labels), e.getMessage());
        assertTrue(e.getMessage().contains("5 images") && e.getMessage().contains("4 labels"), e.getMessage());
    }

    @Test
    void moreLabelsThanImagesIsRefusedEvenUnderALimit() throws IOException {
        String images = writeImages("images.idx3", 2);
        String labels = writeLabels("labels.idx1", 0, 1, 2);

        DataException e = assertThrows(DataException.class, () -> IdxDataset.read(images, labels, 10, 1, HADOOP));
        assertTrue(e.getMessage().contains(images) && e.getMessage().contains(labels), e.getMessage());
    }

    @Test
    void aLabelOutsideTheJobsClassesIsRefusedNamingTheLabelFile() throws IOException {
        String images = writeImages("images.idx3", 3);
        String labels = writeLabels("labels.idx1", 0, 1, 2);

        DataException e = assertThrows(DataException.class, () -> IdxDataset.read(images, labels, 2, 0, HADOOP));
        assertTrue(e.getMessage().contains(labels), e.getMessage());
        assertTrue(e.getMessage().contains("label 2 at index 2"), e.getMessage());
    }

    /** Image i's bytes: distinct per image and covering values above 127. */
    private static byte[] pixelsOf(int image) {
        byte[] out = new byte[ROWS * COLS];
        for (int j = 0; j < out.length; j++) {
            out[j] = (byte) (image * 31 + j * 17 + 100);
        }
        return out;
    }

    private String writeImages(String name, int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(ROWS);
            out.writeInt(COLS);
            for (int i = 0; i < count; i++) {
                out.write(pixelsOf(i));
            }
        }
        return write(name, bytes.toByteArray());
    }

    private String writeLabels(String name, int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000801);
            out.writeInt(labels.length);
            for (int label : labels) {
                out.writeByte(label);
            }
        }
        return write(name, bytes.toByteArray());
    }

    private String write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        if (name.endsWith(".gz")) {
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gzipped)) {
                out.write(content);
            }
            content = gzipped.toByteArray();
        }
        Files.write(file, content);
        return file.toString();
    }
}
