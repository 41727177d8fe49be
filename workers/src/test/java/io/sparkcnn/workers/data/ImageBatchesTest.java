package io.sparkcnn.workers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.augment.AugmentRegistry;
import io.sparkcnn.workers.augment.ImageTransforms;
import io.sparkcnn.workers.augment.Preprocess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class ImageBatchesTest {
    private static final ImageShape GREY = new ImageShape(1, 6, 5);
    private static final Preprocess SCALE = new Preprocess(0, 0, 0, 0, 0, Preprocess.Normalize.SCALE,
            List.of(0.0), List.of(1.0));

    private static List<LabeledImage> records(int n) {
        Random random = new Random(4);
        List<LabeledImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] pixels = new byte[GREY.pixels()];
            random.nextBytes(pixels);
            out.add(new LabeledImage(i, i % 3, pixels));
        }
        return out;
    }

    private static List<float[]> features(Iterator<DataSet> batches) {
        List<float[]> out = new ArrayList<>();
        batches.forEachRemaining(b -> out.add(b.getFeatures().reshape(-1).toFloatVector()));
        BatchMaker.close(batches);
        return out;
    }

    @Test
    void withoutAugmentationRawRecordsGiveTheSameMinibatchesAsThePlainDecoder() {
        ImageBatches images = new ImageBatches(GREY, GREY, 3, ImageTransforms.evaluation(SCALE), 0);
        List<float[]> expected = features(new RawBatches(GREY, 3).minibatches(records(10).iterator(), 4, 1, 1));
        List<float[]> actual = features(images.minibatches(records(10).iterator(), 4, 1, 1));
        assertTrue(expected.size() == 3 && actual.size() == 3, "4 + 4 + the last partial 2");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 1e-6f);
        }
    }

    @Test
    void prefetchingChangesNothingButTheThreadAndAugmentationFollowsSeedAndEpoch() {
        ImageTransforms augmented = new ImageTransforms(SCALE, AugmentRegistry.pipeline(List.of(
                Map.of("type", "translate", "max-x", 2, "max-y", 2, "fill", "constant"))));
        ImageBatches inline = new ImageBatches(GREY, GREY, 3, augmented, 0);
        ImageBatches prefetched = new ImageBatches(GREY, GREY, 3, augmented, 2);

        List<float[]> a = features(inline.minibatches(records(9).iterator(), 2, 7, 3));
        List<float[]> b = features(prefetched.minibatches(records(9).iterator(), 2, 7, 3));
        List<float[]> otherEpoch = features(prefetched.minibatches(records(9).iterator(), 2, 7, 4));

        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0f, "minibatch " + i);
        }
        assertFalse(Arrays.equals(a.get(0), otherEpoch.get(0)), "another epoch draws other shifts");
    }

    @Test
    void aBadEncodedImageFailsTheConsumerNamingItsFileEvenFromThePrefetchThread() {
        ImageShape rgb = new ImageShape(3, 8, 8);
        ImageBatches images = new ImageBatches(null, rgb, 2, ImageTransforms.evaluation(SCALE), 2);
        List<LabeledImage> broken = List.of(new LabeledImage(0, 1, "not an image".getBytes(), "/data/cat/x.jpg"));

        Iterator<DataSet> batches = images.minibatches(broken.iterator(), 4, 1, 1);
        DataException e = assertThrows(DataException.class, batches::hasNext);
        assertTrue(e.getMessage().contains("/data/cat/x.jpg"), e.getMessage());
    }

    @Test
    void anImageThatEndsUpTheWrongSizeIsNamedWithTheKeysToSet() {
        ImageBatches images = new ImageBatches(GREY, new ImageShape(1, 4, 4), 3, ImageTransforms.evaluation(SCALE), 0);
        DataException e = assertThrows(DataException.class,
                () -> images.minibatches(records(2).iterator(), 2, 1, 1).next());
        assertTrue(e.getMessage().contains("record 0") && e.getMessage().contains("data.preprocess"), e.getMessage());
    }
}
