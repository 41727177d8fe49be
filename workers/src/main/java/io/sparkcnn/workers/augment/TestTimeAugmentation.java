package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.params.ParamChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-time augmentation ({@code data.test-time-augment}): the views of a minibatch of network inputs over which
 * evaluation and prediction average the network's softmax outputs, on the executors.
 *
 * <ul>
 *   <li>{@code none}: the input itself (1 view).
 *   <li>{@code flip}: the input and its horizontal mirror (2 views).
 *   <li>{@code ten-crop}: AlexNet's: the input resized up by {@link #TEN_CROP_SCALE} (256/224, so 28x28 becomes
 *       32x32 and 224x224 becomes 256x256), its four corner crops and its centre crop of the input's own size,
 *       then the mirrors of those five (10 views), in that order (torchvision's {@code TenCrop}).
 * </ul>
 *
 * <p>The views are cut from the preprocessed, normalised input the network takes, whatever the image was before,
 * so they work for any input size. Resizing by bilinear interpolation (half-pixel centres, edges clamped) is a
 * weighted mean of neighbouring pixels, so it commutes with the per-channel affine normalisation: resizing after it
 * gives what resizing before it would.
 */
public enum TestTimeAugmentation implements ParamChoice {
    NONE(1), FLIP(2), TEN_CROP(10);

    /** How much ten-crop enlarges the input before cutting crops of the input's size: AlexNet's 256 / 224. */
    public static final double TEN_CROP_SCALE = 256.0 / 224.0;

    private final int views;

    TestTimeAugmentation(int views) {
        this.views = views;
    }

    /** How many views of each input the outputs are averaged over (each costs one forward pass). */
    public int views() {
        return views;
    }

    /**
     * The mean of {@code forward}'s outputs over the views of {@code batch} (an [N, C, H, W] minibatch of network
     * inputs): {@code forward(batch)} itself for {@code none}. The views are built and run one at a time, so that
     * ten-crop needs one extra input's memory, not ten.
     */
    public INDArray averaged(INDArray batch, UnaryOperator<INDArray> forward) {
        if (this == NONE) {
            return forward.apply(batch);
        }
        Views of = new Views(batch, this);
        INDArray sum = null;
        for (int v = 0; v < views; v++) {
            INDArray out = forward.apply(of.view(v));
            sum = sum == null ? out.castTo(DataType.FLOAT).dup() : sum.addi(out);
        }
        return sum.divi(views);
    }

    /** Every view of {@code batch}, each an [N, C, H, W] array of its shape, in the order described above. */
    public List<INDArray> views(INDArray batch) {
        Views of = new Views(batch, this);
        List<INDArray> all = new ArrayList<>(views);
        for (int v = 0; v < views; v++) {
            all.add(of.view(v));
        }
        return all;
    }

    /** Ten-crop's enlarged size for an input side of {@code size} pixels: 28 gives 32, 224 gives 256, 32 gives 37. */
    public static int enlarged(int size) {
        return (int) Math.round(size * TEN_CROP_SCALE);
    }

    @Override
    public String toString() {
        return word();
    }

    /** A minibatch's pixels in NCHW order, and for ten-crop the enlarged copy the crops are cut from. */
    private static final class Views {
        private final TestTimeAugmentation mode;
        private final long[] shape;
        private final int n;
        private final int c;
        private final int h;
        private final int w;
        private final float[] pixels;
        private final int bigH;
        private final int bigW;
        private final float[] enlarged;

        Views(INDArray batch, TestTimeAugmentation mode) {
            if (batch.rank() != 4) {
                throw new IllegalArgumentException("test-time views need an [N, C, H, W] minibatch, not "
                        + java.util.Arrays.toString(batch.shape()));
            }
            this.mode = mode;
            this.shape = batch.shape();
            this.n = Math.toIntExact(shape[0]);
            this.c = Math.toIntExact(shape[1]);
            this.h = Math.toIntExact(shape[2]);
            this.w = Math.toIntExact(shape[3]);
            this.pixels = batch.castTo(DataType.FLOAT).dup('c').data().asFloat();
            this.bigH = mode == TEN_CROP ? enlarged(h) : h;
            this.bigW = mode == TEN_CROP ? enlarged(w) : w;
            this.enlarged = mode == TEN_CROP ? resize(pixels, n * c, h, w, bigH, bigW) : null;
        }

        INDArray view(int v) {
            float[] out;
            if (mode != TEN_CROP) {
                out = v == 0 ? pixels.clone() : crop(pixels, h, w, 0, 0, true);
            } else {
                int position = v % 5;
                // tl, tr, bl, br, centre
                int top = position == 4 ? (bigH - h) / 2 : position < 2 ? 0 : bigH - h;
                int left = position == 4 ? (bigW - w) / 2 : position % 2 == 0 ? 0 : bigW - w;
                out = crop(enlarged, bigH, bigW, top, left, v >= 5);
            }
            return Nd4j.create(out, shape, 'c');
        }

        /** An h x w window of every plane of {@code from} (planes of fromH x fromW) at (top, left), mirrored or not. */
        private float[] crop(float[] from, int fromH, int fromW, int top, int left, boolean mirror) {
            float[] out = new float[n * c * h * w];
            for (int plane = 0; plane < n * c; plane++) {
                int src = plane * fromH * fromW;
                int dst = plane * h * w;
                for (int y = 0; y < h; y++) {
                    int row = src + (top + y) * fromW + left;
                    for (int x = 0; x < w; x++) {
                        out[dst + y * w + x] = from[row + (mirror ? w - 1 - x : x)];
                    }
                }
            }
            return out;
        }

        /** Bilinear resize of {@code planes} planes from h x w to toH x toW, half-pixel centres, edges clamped. */
        private static float[] resize(float[] from, int planes, int h, int w, int toH, int toW) {
            int[] y0 = new int[toH];
            int[] y1 = new int[toH];
            float[] fy = new float[toH];
            axis(h, toH, y0, y1, fy);
            int[] x0 = new int[toW];
            int[] x1 = new int[toW];
            float[] fx = new float[toW];
            axis(w, toW, x0, x1, fx);
            float[] out = new float[planes * toH * toW];
            for (int p = 0; p < planes; p++) {
                int src = p * h * w;
                int dst = p * toH * toW;
                for (int y = 0; y < toH; y++) {
                    int r0 = src + y0[y] * w;
                    int r1 = src + y1[y] * w;
                    for (int x = 0; x < toW; x++) {
                        float top = from[r0 + x0[x]] + fx[x] * (from[r0 + x1[x]] - from[r0 + x0[x]]);
                        float bottom = from[r1 + x0[x]] + fx[x] * (from[r1 + x1[x]] - from[r1 + x0[x]]);
                        out[dst + y * toW + x] = top + fy[y] * (bottom - top);
                    }
                }
            }
            return out;
        }

        /** For each output coordinate: the two source coordinates it lies between and its weight toward the second. */
        private static void axis(int size, int toSize, int[] lo, int[] hi, float[] frac) {
            double scale = (double) size / toSize;
            for (int i = 0; i < toSize; i++) {
                double s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), size - 1);
                lo[i] = (int) Math.floor(s);
                hi[i] = Math.min(lo[i] + 1, size - 1);
                frac[i] = (float) (s - lo[i]);
            }
        }
    }
}
