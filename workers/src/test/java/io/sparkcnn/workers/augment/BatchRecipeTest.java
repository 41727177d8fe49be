package io.sparkcnn.workers.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.RawBatches;
import io.sparkcnn.workers.data.RecipeBatches;
import io.sparkcnn.workers.data.ImageShape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Label smoothing, mixup and cutmix on real ND4J minibatches, as the training task builds them. */
class BatchRecipeTest {
    private static final int N = 6;
    private static final int CLASSES = 4;
    private static final ImageShape SHAPE = new ImageShape(2, 7, 9);

    /** A batch of N random 2x7x9 images (NCHW) with one-hot labels, as Minibatches stacks them. */
    private static DataSet batch(long seed) {
        INDArray x = Nd4j.rand(seed, new long[] {N, SHAPE.channels(), SHAPE.height(), SHAPE.width()});
        INDArray y = Nd4j.zeros(N, CLASSES);
        for (int i = 0; i < N; i++) {
            y.putScalar(i, i % CLASSES, 1f);
        }
        return new DataSet(x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT), y.castTo(
                org.nd4j.linalg.api.buffer.DataType.FLOAT));
    }

    /** The rows of {@code a} in the order {@code rows}. */
    private static INDArray rows(INDArray a, int[] rows) {
        return Nd4j.pullRows(a.reshape(a.size(0), a.length() / a.size(0)), 1, rows).reshape(a.shape());
    }

    @Test
    void labelSmoothingTurnsOneHotTargetsIntoOneMinusEpsPlusEpsOverK() {
        DataSet in = batch(1);
        DataSet out = new BatchRecipe(0.1, 0, 1, 0, 1).apply(in, 7L);

        INDArray expected = in.getLabels().mul(0.9).add(0.1 / CLASSES);
        assertArrayEquals(flat(expected), flat(out.getLabels()), 1e-6f);
        assertEquals(0.925f, out.getLabels().getFloat(0, 0), 1e-7f);
        assertEquals(0.025f, out.getLabels().getFloat(0, 1), 1e-7f);
        assertArrayEquals(flat(in.getFeatures()), flat(out.getFeatures()), "smoothing leaves the images alone");
        assertEquals(1f, in.getLabels().getFloat(0, 0), "the input batch is not changed");
    }

    @Test
    void mixupGivesTheConvexCombinationWithTheDrawnLambdaAndPartner() {
        DataSet in = batch(2);
        BatchRecipe recipe = new BatchRecipe(0, 0.4, 1, 0, 1);
        BatchRecipe.Mix mix = recipe.draw(N, SHAPE.height(), SHAPE.width(), new SplittableRandom(11));
        assertEquals(BatchRecipe.Kind.MIXUP, mix.kind());
        assertTrue(mix.lambda() > 0 && mix.lambda() < 1, "lambda " + mix.lambda());

        DataSet out = recipe.apply(in, mix);

        double l = mix.lambda();
        INDArray x = in.getFeatures().mul(l).add(rows(in.getFeatures(), mix.partner()).mul(1 - l));
        INDArray y = in.getLabels().mul(l).add(rows(in.getLabels(), mix.partner()).mul(1 - l));
        assertArrayEquals(flat(x), flat(out.getFeatures()), 1e-6f);
        assertArrayEquals(flat(y), flat(out.getLabels()), 1e-6f);
        assertArrayEquals(in.getFeatures().shape(), out.getFeatures().shape());
        int[] sorted = mix.partner().clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, sorted, "partners are a permutation of the batch");
    }

    @Test
    void cutmixPastesTheBoxFromThePartnerAndWeightsTheTargetsByTheAreaKept() {
        DataSet in = batch(3);
        BatchRecipe recipe = new BatchRecipe(0, 0, 1, 1.0, 1);
        BatchRecipe.Mix mix = null;
        for (long seed = 0; mix == null || mix.height() == 0 || mix.width() == 0; seed++) {
            mix = recipe.draw(N, SHAPE.height(), SHAPE.width(), new SplittableRandom(seed));
        }
        assertEquals(BatchRecipe.Kind.CUTMIX, mix.kind());

        DataSet out = recipe.apply(in, mix);

        int area = mix.height() * mix.width();
        double kept = 1 - (double) area / (SHAPE.height() * SHAPE.width());
        assertEquals(kept, mix.ownWeight(), 1e-12);
        for (int i = 0; i < N; i++) {
            int j = mix.partner()[i];
            for (int c = 0; c < SHAPE.channels(); c++) {
                for (int r = 0; r < SHAPE.height(); r++) {
                    for (int col = 0; col < SHAPE.width(); col++) {
                        boolean inBox = r >= mix.top() && r < mix.top() + mix.height() && col >= mix.left()
                                && col < mix.left() + mix.width();
                        float expected = in.getFeatures().getFloat(inBox ? j : i, c, r, col);
                        assertEquals(expected, out.getFeatures().getFloat(i, c, r, col), 0f,
                                "image " + i + " channel " + c + " at " + r + "," + col + " (box " + inBox + ")");
                    }
                }
            }
        }
        INDArray y = in.getLabels().mul(kept).add(rows(in.getLabels(), mix.partner()).mul(1 - kept));
        assertArrayEquals(flat(y), flat(out.getLabels()), 1e-6f);
        for (int i = 0; i < N; i++) {
            assertEquals(1.0, out.getLabels().getRow(i).sumNumber().doubleValue(), 1e-6, "targets still sum to 1");
        }
    }

    @Test
    void theCutmixBoxCoversAboutOneMinusLambdaOfTheImageAndStaysInside() {
        BatchRecipe recipe = new BatchRecipe(0, 0, 1, 1.0, 1);
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < 500; k++) {
            BatchRecipe.Mix mix = recipe.draw(N, 32, 32, random);
            assertTrue(mix.top() >= 0 && mix.left() >= 0 && mix.top() + mix.height() <= 32
                    && mix.left() + mix.width() <= 32, "inside the image: " + mix);
            // Unclipped, the box is floor(32 * sqrt(1 - lambda)) per side, rounded down to even: at most 1 - lambda.
            double boxShare = mix.height() * mix.width() / 1024.0;
            assertTrue(boxShare <= 1 - mix.lambda() + 1e-9, "the box is never larger than 1 - lambda: " + mix);
        }
    }

    @Test
    void theBetaDrawsHaveTheMeanAndVarianceOfBetaAlphaAlpha() {
        for (double alpha : new double[] {0.2, 1.0, 2.0}) {
            SplittableRandom random = new SplittableRandom(99);
            int n = 40_000;
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double b = BatchRecipe.beta(alpha, random);
                assertTrue(b >= 0 && b <= 1);
                sum += b;
                squares += b * b;
            }
            double mean = sum / n;
            double variance = squares / n - mean * mean;
            assertEquals(0.5, mean, 0.01, "alpha " + alpha);
            assertEquals(1 / (4 * (2 * alpha + 1)), variance, 0.005, "alpha " + alpha);
        }
    }

    @Test
    void withPZeroNoBatchIsMixedAndBothOnABatchGetsOneOrTheOther() {
        BatchRecipe never = new BatchRecipe(0, 0.4, 0, 1.0, 0);
        BatchRecipe both = new BatchRecipe(0, 0.4, 1, 1.0, 0.5);
        int cut = 0;
        int mixed = 0;
        for (long seed = 0; seed < 400; seed++) {
            assertEquals(BatchRecipe.Kind.NONE, never.draw(N, 7, 9, new SplittableRandom(seed)).kind());
            BatchRecipe.Kind kind = both.draw(N, 7, 9, new SplittableRandom(seed)).kind();
            cut += kind == BatchRecipe.Kind.CUTMIX ? 1 : 0;
            mixed += kind == BatchRecipe.Kind.MIXUP ? 1 : 0;
        }
        assertEquals(400, cut + mixed, "mixup.p = 1 takes every batch cutmix leaves");
        assertTrue(cut > 150 && cut < 250, "cutmix.p = 0.5: " + cut);
    }

    /** Records of raw bytes, as IDX or CIFAR records reach the training task. */
    private static List<LabeledImage> records(int count) {
        Random random = new Random(4);
        List<LabeledImage> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] px = new byte[SHAPE.pixels()];
            random.nextBytes(px);
            records.add(new LabeledImage(i, i % CLASSES, px, null));
        }
        return records;
    }

    private static List<DataSet> trainingBatches(BatchMaker maker, int worker) {
        List<DataSet> out = new ArrayList<>();
        Iterator<DataSet> it = maker.trainingMinibatches(records(20).iterator(), 4, 42L, 3, 2, 5, worker);
        it.forEachRemaining(out::add);
        BatchMaker.close(it);
        return out;
    }

    @Test
    void theSameSeedAndIdsGiveTheSameBatchesBitForBitAndAnotherWorkerOthers() {
        BatchMaker maker = RecipeBatches.of(new RawBatches(SHAPE, CLASSES), new BatchRecipe(0.1, 0.4, 1, 1.0, 0.5));
        List<DataSet> first = trainingBatches(maker, 0);
        List<DataSet> again = trainingBatches(maker, 0);
        List<DataSet> otherWorker = trainingBatches(maker, 1);

        assertEquals(5, first.size());
        for (int b = 0; b < first.size(); b++) {
            assertArrayEquals(flat(first.get(b).getFeatures()), flat(again.get(b).getFeatures()), 0f);
            assertArrayEquals(flat(first.get(b).getLabels()), flat(again.get(b).getLabels()), 0f);
        }
        boolean differs = false;
        for (int b = 0; b < first.size(); b++) {
            differs |= !java.util.Arrays.equals(flat(first.get(b).getLabels()), flat(otherWorker.get(b).getLabels()));
        }
        assertTrue(differs, "another worker draws other mixes");
        assertNotEquals(BatchRecipe.seed(42, 3, 2, 5, 0, 0), BatchRecipe.seed(42, 3, 2, 5, 0, 1));
        assertEquals(BatchRecipe.seed(42, 3, 2, 5, 0, 5), BatchRecipe.seed(42, 3, 3, 5, 0, 0),
                "step 5 of a round from block 2 is step 0 of block 3: the same draws whatever the rounds");
    }

    @Test
    void offMeansTheBatchMakerItselfAndBatchesIdenticalToToday() {
        BatchMaker plain = new RawBatches(SHAPE, CLASSES);
        assertSame(plain, RecipeBatches.of(plain, BatchRecipe.NONE));
        assertTrue(BatchRecipe.NONE.isNone());
        DataSet in = batch(8);
        assertSame(in, BatchRecipe.NONE.apply(in, 3L), "nothing to do: the very batch");

        BatchMaker smoothing = RecipeBatches.of(plain, new BatchRecipe(0.2, 0, 1, 0, 1));
        DataSet plainBatch = plain.minibatches(records(4).iterator(), 4, 42L, 1).next();
        DataSet viaMinibatches = smoothing.minibatches(records(4).iterator(), 4, 42L, 1).next();
        assertArrayEquals(flat(plainBatch.getLabels()), flat(viaMinibatches.getLabels()), 0f,
                "outside a training task (previews, evaluation) the targets stay one-hot");
    }

    @Test
    void aBadValueIsRefusedNamingIt() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchRecipe(1.0, 0, 1, 0, 1))
                .getMessage().contains("label smoothing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchRecipe(0, -1, 1, 0, 1))
                .getMessage().contains("mixup alpha"));
        assertFalse(new BatchRecipe(0, 0.2, 1, 0, 1).isNone());
    }

    private static float[] flat(INDArray a) {
        return Nd4j.toFlattened('c', a).toFloatVector();
    }
}
