package io.sparkcnn.workers.train;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.common.primitives.Pair;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;

/**
 * Batch normalisation's training passes with matrix products where DL4J uses generic reductions.
 *
 * <p>DL4J 1.0.0-M2's oneDNN batch-norm helper computes each minibatch's per-channel mean and variance with ND4J's
 * {@code mean} and {@code Variance} reductions over three of the four axes before it calls oneDNN, and its
 * backward pass is libnd4j's {@code batchnorm_bp}. On ResNet-20 (NHWC, batch 64, 2 threads) the two reductions were
 * 87% of batch norm's forward pass and 15.6% of the whole training step, and the backward op 24.8% (JDK Flight
 * Recorder, docs/performance.md). Seen as a matrix of M = N x H x W rows and C channels (NHWC as it lies in memory;
 * NCHW per image), a channel's sum is a product with a vector of ones, which the GEMM does at full speed:
 * <ul>
 * <li>forward (both layouts): the mean is one product, the variance a subtraction, a square and a second product;
 * the statistics then go to the same oneDNN call as before (the helper's inference path, which takes them as
 * given), and back to the layer for its running averages through the caches the helper keeps;</li>
 * <li>backward (NHWC): with x-hat = (x - mean) / sigma, the gradients of beta and gamma are the column sums of dy
 * and dy x-hat (two products), and dx = gamma / sigma (dy - dbeta / M - x-hat dgamma / M), row-vector operations.</li>
 * </ul>
 * The results are DL4J's up to float rounding (another order of summation; {@code GemmBatchNormTest}), and the same
 * inputs give the same bits run after run. ResNet-20 trained 1.27x faster with both (row s's job, alternating runs).
 *
 * <p>DL4J has no hook for this, so {@link #install} swaps each layer's helper for {@link Helper}, a subclass of
 * DL4J's own, through the layer's package-private {@code helper} field; a network whose layers kept another helper
 * (or none, without oneDNN) is left as it is, and {@code -Dsparkcnn.batch-norm=dl4j} leaves every network as DL4J
 * builds it.
 */
public final class GemmBatchNorm {
    private GemmBatchNorm() {}

    /** {@code -Dsparkcnn.batch-norm=dl4j} keeps DL4J's own passes (to compare, or should a DL4J version differ). */
    static final String SWITCH = "sparkcnn.batch-norm";

    /** Gives every batch-norm layer of {@code net} that uses DL4J's oneDNN helper the passes above. */
    public static void install(NeuralNetwork net) {
        if ("dl4j".equals(System.getProperty(SWITCH))) {
            return;
        }
        Layer[] layers = net instanceof MultiLayerNetwork m ? m.getLayers()
                : net instanceof ComputationGraph g ? g.getLayers() : new Layer[0];
        for (Layer layer : layers) {
            if (layer instanceof BatchNormalization bn) {
                try {
                    Field field = BatchNormalization.class.getDeclaredField("helper");
                    field.setAccessible(true);
                    Object helper = field.get(bn);
                    if (helper != null && helper.getClass() == MKLDNNBatchNormHelper.class) {
                        field.set(bn, new Helper(bn.getParam("gamma").dataType()));
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("DL4J's BatchNormalization layer has no 'helper' field any"
                            + " more: update GemmBatchNorm to this DL4J version", e);
                }
            }
        }
    }

    /**
     * Writes the per-channel mean and (population) variance of a rank-4 {@code x} into {@code mean} and
     * {@code variance} (each of the channels' length), through {@code ones} (at least M long).
     */
    static void channelStats(INDArray x, CNN2DFormat format, INDArray mean, INDArray variance, INDArray ones) {
        long channels = mean.length();
        if (format == CNN2DFormat.NHWC) {
            long rows = x.length() / channels;
            INDArray matrix = x.reshape('c', rows, channels);
            INDArray unit = ones.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows)).reshape(1, rows);
            INDArray meanRow = mean.reshape(1, channels);
            Nd4j.gemm(unit, matrix, meanRow, false, false, 1.0 / rows, 0.0);
            INDArray centred = matrix.subRowVector(meanRow);
            centred.muli(centred);
            Nd4j.gemm(unit, centred, variance.reshape(1, channels), false, false, 1.0 / rows, 0.0);
        } else {
            long images = x.size(0);
            long pixels = x.size(2) * x.size(3);
            INDArray unit = ones.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, pixels)).reshape(pixels, 1);
            // Each image's channel sums: [N x C, HW] times ones; then summed over the images.
            INDArray sums = x.reshape('c', images * channels, pixels).mmul(unit).reshape(images, channels);
            mean.assign(sums.sum(0)).divi(images * pixels);
            INDArray centred = x.ulike();
            Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean, centred, 1));
            centred.muli(centred);
            INDArray squares = centred.reshape('c', images * channels, pixels).mmul(unit).reshape(images, channels);
            variance.assign(squares.sum(0)).divi(images * pixels);
        }
    }

    /** DL4J's oneDNN batch-norm helper with {@link #channelStats} in its training forward pass, and a GEMM backward. */
    static final class Helper extends MKLDNNBatchNormHelper {
        private INDArray ones;

        Helper(org.nd4j.linalg.api.buffer.DataType dataType) {
            super(dataType);
        }

        @Override
        public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                                  INDArray mean, INDArray var, double decay, double eps, CNN2DFormat format,
                                  LayerWorkspaceMgr workspaceMgr) {
            INDArray meanCache = getMeanCache(x.dataType());
            INDArray varCache = getVarCache(x.dataType());
            long channels = format == CNN2DFormat.NHWC ? x.size(3) : x.size(1);
            if (!training || x.rank() != 4 || meanCache == null || meanCache.length() != channels
                    || meanCache.dataType() != x.dataType()) {
                // Inference, dense input, or the first step (which sizes the helper's caches): DL4J's own way.
                return super.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
            }
            long needed = format == CNN2DFormat.NHWC ? x.length() / channels : x.size(2) * x.size(3);
            if (ones == null || ones.length() < needed || ones.dataType() != x.dataType()) {
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    ones = Nd4j.ones(x.dataType(), needed);
                }
            }
            channelStats(x, format, meanCache, varCache, ones);
            // The inference path normalises with the statistics it is given: this minibatch's, in the caches that
            // the layer reads for its running averages and the backward pass reads for the gradients.
            return super.preOutput(x, false, shape, gamma, beta, meanCache, varCache, decay, eps, format,
                    workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape,
                                                         INDArray gamma, INDArray beta, INDArray dGammaView,
                                                         INDArray dBetaView, double eps, CNN2DFormat format,
                                                         LayerWorkspaceMgr workspaceMgr) {
            INDArray mean = getMeanCache(input.dataType());
            if (input.rank() != 4 || format != CNN2DFormat.NHWC || mean == null || ones == null
                    || ones.length() < input.length() / mean.length()) {
                return super.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format,
                        workspaceMgr);
            }
            long channels = mean.length();
            long rows = input.length() / channels;
            INDArray x = input.reshape('c', rows, channels);
            INDArray dy = epsilon.reshape('c', rows, channels);
            INDArray unit = ones.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows)).reshape(1, rows);
            INDArray meanRow = mean.reshape(1, channels);
            INDArray inverseSigma = Transforms.pow(getVarCache(input.dataType()).reshape(1, channels).add(eps), -0.5,
                    false);
            // x-hat = (x - mean) / sigma; the gradients of beta and gamma are the column sums of dy and dy x-hat.
            INDArray xHat = x.subRowVector(meanRow).muliRowVector(inverseSigma);
            INDArray dBeta = dBetaView.reshape(1, channels);
            INDArray dGamma = dGammaView.reshape(1, channels);
            Nd4j.gemm(unit, dy, dBeta, false, false, 1.0, 0.0);
            Nd4j.gemm(unit, dy.mul(xHat), dGamma, false, false, 1.0, 0.0);
            // dx = gamma / sigma * (dy - dbeta / M - x-hat * dgamma / M).
            INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
                    'c');
            INDArray dx2 = dx.reshape('c', rows, channels);
            dx2.assign(dy.subRowVector(dBeta.div(rows)).subi(xHat.muliRowVector(dGamma.div(rows))))
                    .muliRowVector(gamma.reshape(1, channels).mul(inverseSigma));
            Gradient gradient = new DefaultGradient();
            gradient.setGradientFor("gamma", dGammaView);
            gradient.setGradientFor("beta", dBetaView);
            return new Pair<>(gradient, dx);
        }
    }
}
