package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.Seeds;
import io.sparkcnn.workers.params.ParamValidators;
import java.io.Serializable;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the training task does to a whole stacked minibatch, where per-image augmentation cannot reach: label
 * smoothing of the one-hot targets, then mixup (Zhang et al. 2018) or cutmix (Yun et al. 2019) with a partner
 * image drawn from the same batch. Evaluation never sees it. Every draw of a step comes from the job's seed, the
 * epoch, the block, the worker and the step's place in its block, so a run is reproduced bit for bit.
 *
 * @param labelSmoothing eps in [0, 1): targets become (1 - eps) * one-hot + eps / classes
 * @param mixupAlpha     alpha of mixup's Beta(alpha, alpha); 0: no mixup
 * @param mixupP         the probability that a step's batch is mixed, when mixup is on
 * @param cutmixAlpha    alpha of cutmix's Beta(alpha, alpha); 0: no cutmix
 * @param cutmixP        the probability that a step's batch gets a box, when cutmix is on; tried before mixup
 */
public record BatchRecipe(double labelSmoothing, double mixupAlpha, double mixupP, double cutmixAlpha,
                          double cutmixP) implements Serializable {
    public static final BatchRecipe NONE = new BatchRecipe(0, 0, 1, 0, 1);

    public BatchRecipe {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), not " + labelSmoothing);
        }
        ParamValidators.requireAtLeast("mixup alpha", mixupAlpha, 0);
        ParamValidators.requireAtLeast("cutmix alpha", cutmixAlpha, 0);
        ParamValidators.requireProbability(mixupP);
        ParamValidators.requireProbability(cutmixP);
    }

    /** True when the recipe changes nothing: the training task then stacks batches exactly as evaluation does. */
    public boolean isNone() {
        return labelSmoothing == 0 && mixupAlpha == 0 && cutmixAlpha == 0;
    }

    /** How a step's batch is mixed: with nothing, with the whole of a partner image, or with a box of one. */
    public enum Kind { NONE, MIXUP, CUTMIX }

    /**
     * The draws of one step: {@code partner[i]} is the image that image i is mixed with (a permutation of the
     * batch), {@code lambda} the Beta draw, and for cutmix the box (rows {@code top} to {@code top + height},
     * columns {@code left} to {@code left + width}, clipped to the image). {@code ownWeight} is the share of each
     * target that stays its own: lambda for mixup, the area outside the box for cutmix, 1 for none.
     */
    public record Mix(Kind kind, double lambda, int[] partner, int top, int left, int height, int width,
                      double ownWeight) {
        static final Mix NONE = new Mix(Kind.NONE, 1, new int[0], 0, 0, 0, 0, 1);
    }

    /**
     * The seed of the {@code step}-th batch (from 0) of a worker's round in {@code epoch} that starts at block
     * {@code firstBlock}, blocks being {@code tau} steps: the ids of where the step falls, not of how the run's
     * rounds happened to group blocks, so an adaptive or resumed run draws the same for the same step.
     */
    public static long seed(long jobSeed, int epoch, int firstBlock, int tau, int worker, int step) {
        return Seeds.of(jobSeed, "batch-recipe", epoch, firstBlock + step / tau, worker, step % tau);
    }

    /** The recipe on every batch of a worker's round, each step seeded by {@link #seed}; closing it closes theirs. */
    public Iterator<DataSet> apply(Iterator<DataSet> batches, long jobSeed, int epoch, int firstBlock, int tau,
                                   int worker) {
        return new Stepped(batches, jobSeed, epoch, firstBlock, tau, worker);
    }

    /** The recipe on one batch with the draws of {@code stepSeed}. */
    public DataSet apply(DataSet batch, long stepSeed) {
        long[] shape = batch.getFeatures().shape();
        Mix mix = draw((int) shape[0], (int) shape[2], (int) shape[3], new SplittableRandom(stepSeed));
        return apply(batch, mix);
    }

    /** What one step draws for a batch of {@code n} images of {@code height} x {@code width}. */
    public Mix draw(int n, int height, int width, SplittableRandom random) {
        // Split in a fixed order, so that each choice's draws do not depend on whether another one was made.
        SplittableRandom cutmixDraws = random.split();
        SplittableRandom mixupDraws = random.split();
        if (cutmixAlpha > 0 && cutmixDraws.nextDouble() < cutmixP) {
            double lambda = beta(cutmixAlpha, cutmixDraws);
            int[] partner = permutation(n, cutmixDraws);
            double side = Math.sqrt(1 - lambda);
            int boxHeight = (int) (height * side);
            int boxWidth = (int) (width * side);
            int centreY = cutmixDraws.nextInt(height);
            int centreX = cutmixDraws.nextInt(width);
            int top = clamp(centreY - boxHeight / 2, height);
            int left = clamp(centreX - boxWidth / 2, width);
            int bottom = clamp(centreY + boxHeight / 2, height);
            int right = clamp(centreX + boxWidth / 2, width);
            double kept = 1 - (double) (bottom - top) * (right - left) / ((double) height * width);
            return new Mix(Kind.CUTMIX, lambda, partner, top, left, bottom - top, right - left, kept);
        }
        if (mixupAlpha > 0 && mixupDraws.nextDouble() < mixupP) {
            double lambda = beta(mixupAlpha, mixupDraws);
            return new Mix(Kind.MIXUP, lambda, permutation(n, mixupDraws), 0, 0, 0, 0, lambda);
        }
        return Mix.NONE;
    }

    /** Smooths the batch's targets and mixes it as {@code mix} says; the input batch is left as it was. */
    public DataSet apply(DataSet batch, Mix mix) {
        INDArray features = batch.getFeatures();
        long[] shape = features.shape();
        int n = (int) shape[0];
        int classes = (int) batch.getLabels().size(1);
        float[] y = Nd4j.toFlattened('c', batch.getLabels()).toFloatVector();
        if (labelSmoothing > 0) {
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) ((1 - labelSmoothing) * y[i] + labelSmoothing / classes);
            }
        }
        if (mix.kind() == Kind.NONE) {
            return labelSmoothing > 0 ? new DataSet(features, Nd4j.create(y, new long[] {n, classes}, 'c')) : batch;
        }
        float[] x = Nd4j.toFlattened('c', features).toFloatVector();
        float[] mixedX = x.clone();
        float[] mixedY = new float[y.length];
        int perImage = x.length / n;
        int[] partner = mix.partner();
        for (int i = 0; i < n; i++) {
            int j = partner[i];
            if (mix.kind() == Kind.MIXUP) {
                float a = (float) mix.lambda();
                float b = (float) (1 - mix.lambda());
                for (int k = 0; k < perImage; k++) {
                    mixedX[i * perImage + k] = a * x[i * perImage + k] + b * x[j * perImage + k];
                }
            } else {
                pasteBox(x, mixedX, i, j, (int) shape[1], (int) shape[2], (int) shape[3], mix);
            }
            float own = (float) mix.ownWeight();
            float other = (float) (1 - mix.ownWeight());
            for (int c = 0; c < classes; c++) {
                mixedY[i * classes + c] = own * y[i * classes + c] + other * y[j * classes + c];
            }
        }
        return new DataSet(Nd4j.create(mixedX, shape, 'c'), Nd4j.create(mixedY, new long[] {n, classes}, 'c'));
    }

    /** Copies the box of image {@code from} over the same box of image {@code to}, in every channel (NCHW). */
    private static void pasteBox(float[] x, float[] into, int to, int from, int channels, int height, int width,
                                 Mix box) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            for (int row = box.top(); row < box.top() + box.height(); row++) {
                int toAt = (to * channels + c) * plane + row * width + box.left();
                int fromAt = (from * channels + c) * plane + row * width + box.left();
                System.arraycopy(x, fromAt, into, toAt, box.width());
            }
        }
    }

    private static int clamp(int v, int limit) {
        return Math.max(0, Math.min(v, limit));
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, RandomGenerator random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A Beta(alpha, alpha) draw, as X / (X + Y) of two Gamma(alpha) draws. */
    static double beta(double alpha, RandomGenerator random) {
        double x = gamma(alpha, random);
        double y = gamma(alpha, random);
        return x + y > 0 ? x / (x + y) : 0.5;
    }

    /**
     * A Gamma(shape, 1) draw by Marsaglia and Tsang's squeeze method (ACM TOMS 2000); below shape 1, a
     * Gamma(shape + 1) draw times U^(1/shape).
     */
    static double gamma(double shape, RandomGenerator random) {
        if (shape < 1) {
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * z * z * z * z || Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** A round's batches with the recipe, the step counted from the round's first block. */
    private final class Stepped implements Iterator<DataSet>, AutoCloseable {
        private final Iterator<DataSet> batches;
        private final long jobSeed;
        private final int epoch;
        private final int firstBlock;
        private final int tau;
        private final int worker;
        private int step;

        Stepped(Iterator<DataSet> batches, long jobSeed, int epoch, int firstBlock, int tau, int worker) {
            this.batches = batches;
            this.jobSeed = jobSeed;
            this.epoch = epoch;
            this.firstBlock = firstBlock;
            this.tau = tau;
            this.worker = worker;
        }

        @Override
        public boolean hasNext() {
            return batches.hasNext();
        }

        @Override
        public DataSet next() {
            return apply(batches.next(), seed(jobSeed, epoch, firstBlock, tau, worker, step++));
        }

        @Override
        public void close() throws Exception {
            if (batches instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
