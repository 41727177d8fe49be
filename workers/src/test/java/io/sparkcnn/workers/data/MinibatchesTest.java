package io.sparkcnn.workers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class MinibatchesTest {
    private static final ImageShape SHAPE = new ImageShape(2, 3, 4);
    private static final int CLASSES = 5;

    @Test
    void featuresAreNchwWithBytesScaledToTheUnitInterval() {
        byte[] pixels = new byte[SHAPE.pixels()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 11);
        }
        pixels[0] = 0;
        pixels[5] = (byte) 255;
        pixels[6] = (byte) 128;

        DataSet batch = new Minibatches(List.of(new LabeledImage(0, 1, pixels)).iterator(), SHAPE, CLASSES, 4).next();

        INDArray features = batch.getFeatures();
        assertArrayEquals(new long[] {1, 2, 3, 4}, features.shape());
        for (int c = 0; c < 2; c++) {
            for (int h = 0; h < 3; h++) {
                for (int w = 0; w < 4; w++) {
                    int raw = pixels[c * 12 + h * 4 + w] & 0xff;
                    assertEquals(raw / 255f, features.getFloat(0, c, h, w), 1e-7f, "at c" + c + " h" + h + " w" + w);
                }
            }
        }
        assertEquals(0f, features.getFloat(0, 0, 0, 0));
        assertEquals(1f, features.getFloat(0, 0, 1, 1));
        assertEquals(128 / 255f, features.getFloat(0, 0, 1, 2), 1e-7f);
        assertTrue(features.minNumber().floatValue() >= 0f && features.maxNumber().floatValue() <= 1f);
    }

    @Test
    void labelsAreOneHot() {
        List<LabeledImage> records = new ArrayList<>();
        int[] labels = {3, 0, 4, 4, 1};
        for (int i = 0; i < labels.length; i++) {
            records.add(new LabeledImage(i, labels[i], new byte[SHAPE.pixels()]));
        }

        DataSet batch = new Minibatches(records.iterator(), SHAPE, CLASSES, labels.length).next();

        INDArray oneHot = batch.getLabels();
        assertArrayEquals(new long[] {labels.length, CLASSES}, oneHot.shape());
        for (int row = 0; row < labels.length; row++) {
            for (int k = 0; k < CLASSES; k++) {
                assertEquals(k == labels[row] ? 1f : 0f, oneHot.getFloat(row, k), "row " + row + " class " + k);
            }
        }
    }

    @Test
    void tenRecordsInBatchesOfFourGiveFourFourAndAKeptPartialTwo() {
        List<LabeledImage> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] pixels = new byte[SHAPE.pixels()];
            pixels[0] = (byte) (i * 20);
            records.add(new LabeledImage(i, i % CLASSES, pixels));
        }

        Minibatches batches = new Minibatches(records.iterator(), SHAPE, CLASSES, 4);
        List<DataSet> out = new ArrayList<>();
        while (batches.hasNext()) {
            out.add(batches.next());
        }

        assertEquals(List.of(4, 4, 2), out.stream().map(DataSet::numExamples).toList());
        assertArrayEquals(new long[] {2, 2, 3, 4}, out.get(2).getFeatures().shape());
        assertArrayEquals(new long[] {2, CLASSES}, out.get(2).getLabels().shape());
        // Records stay in order across batches: batch b, row r is record 4b + r.
        for (int b = 0; b < out.size(); b++) {
            for (int r = 0; r < out.get(b).numExamples(); r++) {
                int id = 4 * b + r;
                assertEquals(id * 20 / 255f, out.get(b).getFeatures().getFloat(r, 0, 0, 0), 1e-7f, "record " + id);
                assertEquals(1f, out.get(b).getLabels().getFloat(r, id % CLASSES), "record " + id);
            }
        }
    }

    @Test
    void aFullLastBatchIsFollowedByNothing() {
        List<LabeledImage> records = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            records.add(new LabeledImage(i, 0, new byte[SHAPE.pixels()]));
        }

        Minibatches batches = new Minibatches(records.iterator(), SHAPE, CLASSES, 4);
        assertEquals(4, batches.next().numExamples());
        assertEquals(4, batches.next().numExamples());
        assertFalse(batches.hasNext());
        assertThrows(NoSuchElementException.class, batches::next);
    }

    @Test
    void anEmptyShardGivesNoBatch() {
        Iterator<LabeledImage> none = Collections.emptyIterator();

        Minibatches batches = new Minibatches(none, SHAPE, CLASSES, 4);

        assertFalse(batches.hasNext());
        assertThrows(NoSuchElementException.class, batches::next);
    }

    @Test
    void aRecordOfTheWrongSizeIsNamedById() {
        List<LabeledImage> records = List.of(
                new LabeledImage(40, 0, new byte[SHAPE.pixels()]),
                new LabeledImage(41, 0, new byte[SHAPE.pixels() - 1]));

        Minibatches batches = new Minibatches(records.iterator(), SHAPE, CLASSES, 4);

        DataException e = assertThrows(DataException.class, batches::next);
        assertTrue(e.getMessage().contains("record 41"), e.getMessage());
        assertTrue(e.getMessage().contains(SHAPE.pixels() - 1 + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(SHAPE.pixels())), e.getMessage());
    }
}
