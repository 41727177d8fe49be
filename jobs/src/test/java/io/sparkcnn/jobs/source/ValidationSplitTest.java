package io.sparkcnn.jobs.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparkcnn.workers.data.LabeledImage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {
    private static List<LabeledImage> records() {
        List<LabeledImage> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            out.add(new LabeledImage(i, i % 3 == 0 ? 0 : 1, new byte[] {(byte) i}));
        }
        return out;
    }

    @Test
    void eachClassGivesItsShareAndTheTrainingIdsAreRenumbered() {
        ValidationSplit split = ValidationSplit.of(records(), 0.1, 5);

        assertEquals(10, split.validation().stream().filter(r -> r.label() == 0).count(), "10% of 100");
        assertEquals(20, split.validation().stream().filter(r -> r.label() == 1).count(), "10% of 200");
        assertEquals(270, split.train().size());
        assertEquals(IntStream.range(0, 270).boxed().toList(),
                split.train().stream().map(r -> (int) r.id()).toList());
    }

    @Test
    void theSameSeedHoldsOutTheSameImagesAndAnotherSeedOthers() {
        List<Long> a = ValidationSplit.of(records(), 0.1, 5).validation().stream().map(LabeledImage::id).toList();
        List<Long> b = ValidationSplit.of(records(), 0.1, 5).validation().stream().map(LabeledImage::id).toList();
        List<Long> c = ValidationSplit.of(records(), 0.1, 6).validation().stream().map(LabeledImage::id).toList();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }
}
