package io.sparkcnn.jobs.architectures.summary;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;

/**
 * The shape arithmetic of one DL4J layer over one image: output volume, parameters, receptive field and
 * multiply-adds from the layer's geometry, checked against DL4J's own numbers. Layers it does not know are
 * measured by DL4J alone and leave the receptive field as it was.
 */
final class LayerArithmetic {
    private LayerArithmetic() {}

    static LayerResult apply(LayerPosition site, Layer layer, Activations in) {
        LayerResult step = measure(site, layer, in);
        Dl4jCrossCheck.layer(site, step.row().type(), layer, in, step);
        return step;
    }

    private static LayerResult measure(LayerPosition site, Layer layer, Activations in) {
        // 1D/3D windows and transposed convolutions extend the 2D classes but follow other arithmetic.
        if (layer instanceof Convolution1DLayer || layer instanceof Convolution3D || layer instanceof Deconvolution2D
                || layer instanceof Deconvolution3D || layer instanceof Subsampling1DLayer) {
            return Dl4jCrossCheck.measuredByDl4j(site, layer, in);
        }
        if (layer instanceof ConvolutionLayer conv) {
            return convolution(site, conv, in);
        }
        if (layer instanceof SubsamplingLayer pool) {
            return pooling(site, pool, in);
        }
        if (layer instanceof BatchNormalization bn) {
            return batchNormalization(site, bn, in);
        }
        if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
            return dense(site, (FeedForwardLayer) layer, in);
        }
        if (layer instanceof ZeroPaddingLayer pad) {
            return zeroPadding(site, pad, in);
        }
        if (layer instanceof Cropping2D crop) {
            return cropping(site, crop, in);
        }
        if (layer instanceof GlobalPoolingLayer pool) {
            return globalPooling(site, pool, in);
        }
        if (layer instanceof ActivationLayer act) {
            return unchanged(site, "Activation(" + act.getActivationFn() + ")", in);
        }
        if (layer instanceof DropoutLayer) {
            return unchanged(site, "Dropout", in);
        }
        if (layer instanceof LocalResponseNormalization) {
            return unchanged(site, "LRN", in);
        }
        return Dl4jCrossCheck.measuredByDl4j(site, layer, in);
    }

    private static LayerResult convolution(LayerPosition site, ConvolutionLayer conv, Activations in) {
        Window window = Window.of(conv);
        long area = (long) window.kernelH() * window.kernelW();
        String type;
        long channels = in.volume().depth();
        long filters;
        long weights;
        if (conv instanceof SeparableConvolution2D separable) {
            type = "SeparableConv";
            long depthwise = channels * separable.getDepthMultiplier();
            filters = conv.getNOut();
            weights = depthwise * area + depthwise * filters;
        } else if (conv instanceof DepthwiseConvolution2D depthwise) {
            type = "DepthwiseConv";
            filters = channels * depthwise.getDepthMultiplier();
            weights = filters * area;
        } else {
            type = "Conv";
            filters = conv.getNOut();
            weights = filters * channels * area;
        }
        requireImage(site, type, in);
        requireNIn(site, type, conv.getNIn(), channels, "channels", in);
        Volume out = window.output(site.describe(type), in.volume(), filters);
        long biases = conv.hasBias() ? filters : 0;
        // Every weight is used once per output position (the pointwise part of a separable one included).
        long multiplyAdds = weights * out.width() * out.height();
        Activations next = new Activations(out, true, window.field(in.field()));
        return new LayerResult(site.row(type, window, next, weights + biases, multiplyAdds), next);
    }

    private static LayerResult pooling(LayerPosition site, SubsamplingLayer pool, Activations in) {
        String type = poolingName(pool.getPoolingType()) + "Pool";
        requireImage(site, type, in);
        Window window = Window.of(pool);
        Volume out = window.output(site.describe(type), in.volume(), in.volume().depth());
        Activations next = new Activations(out, true, window.field(in.field()));
        return new LayerResult(site.row(type, window, next, 0, 0), next);
    }

    private static LayerResult batchNormalization(LayerPosition site, BatchNormalization bn, Activations in) {
        long channels = in.spatial() ? in.volume().depth() : in.volume().elements();
        requireNIn(site, "BatchNorm", bn.getNIn(), channels, in.spatial() ? "channels" : "values", in);
        // gamma and beta are learned; DL4J also stores the running mean and variance as parameters.
        long parameters = (bn.isLockGammaBeta() ? 2 : 4) * channels;
        // At inference the normalisation folds into one multiply-add per element.
        return new LayerResult(site.row("BatchNorm", null, in, parameters, in.volume().elements()), in);
    }

    private static LayerResult dense(LayerPosition site, FeedForwardLayer layer, Activations in) {
        String type = layer instanceof BaseOutputLayer ? "Output" : "Dense";
        long inputs = in.volume().elements();
        requireNIn(site, type, layer.getNIn(), inputs, "values", in);
        long outputs = layer.getNOut();
        boolean bias = layer instanceof DenseLayer d ? d.hasBias() : ((BaseOutputLayer) layer).hasBias();
        boolean layerNorm = layer instanceof DenseLayer d && d.hasLayerNorm();
        long parameters = inputs * outputs + (bias ? outputs : 0) + (layerNorm ? outputs : 0);
        // Flattening an image makes every unit see the whole map: a kernel as large as the input.
        ReceptiveField field = in.spatial()
                ? in.field().through(in.volume().height(), in.volume().width(), 1, 1)
                : in.field();
        Activations next = new Activations(Volume.vector(outputs), false, field);
        return new LayerResult(site.row(type, null, next, parameters, inputs * outputs), next);
    }

    private static LayerResult zeroPadding(LayerPosition site, ZeroPaddingLayer layer, Activations in) {
        requireImage(site, "ZeroPadding", in);
        int[] p = layer.getPadding();
        Volume v = in.volume();
        Activations next = new Activations(new Volume(v.width() + p[2] + p[3], v.height() + p[0] + p[1], v.depth()), true,
                in.field());
        return new LayerResult(site.row("ZeroPadding", LayerRow.NONE, LayerRow.NONE, sides(p), next, 0, 0), next);
    }

    private static LayerResult cropping(LayerPosition site, Cropping2D layer, Activations in) {
        requireImage(site, "Cropping", in);
        int[] c = layer.getCropping();
        Volume v = in.volume();
        Volume out = new Volume(v.width() - c[2] - c[3], v.height() - c[0] - c[1], v.depth());
        if (out.width() <= 0 || out.height() <= 0) {
            throw new ModelGeometryException(site.describe("Cropping") + " on a " + v + " input: cropping "
                    + c[0] + "," + c[1] + "," + c[2] + "," + c[3] + " (top,bottom,left,right) leaves a " + out.width()
                    + "x" + out.height() + " output, and output sizes must be positive. Crop less.");
        }
        Activations next = new Activations(out, true, in.field());
        return new LayerResult(site.row("Cropping", LayerRow.NONE, LayerRow.NONE, sides(new int[] {-c[0], -c[1], -c[2], -c[3]}),
                next, 0, 0), next);
    }

    private static LayerResult globalPooling(LayerPosition site, GlobalPoolingLayer layer, Activations in) {
        String type = "Global" + poolingName(layer.getPoolingType()) + "Pool";
        requireImage(site, type, in);
        Volume v = in.volume();
        ReceptiveField field = in.field().through(v.height(), v.width(), 1, 1);
        // Collapsed, the result is a vector for the dense layers; otherwise a 1x1 image.
        Activations next = new Activations(new Volume(1, 1, v.depth()), !layer.isCollapseDimensions(), field);
        return new LayerResult(site.row(type, v.height() + "x" + v.width(), LayerRow.NONE, LayerRow.NONE, next, 0, 0), next);
    }

    private static LayerResult unchanged(LayerPosition site, String type, Activations in) {
        return new LayerResult(site.row(type, null, in, 0, 0), in);
    }

    private static void requireImage(LayerPosition site, String type, Activations in) {
        if (!in.spatial()) {
            throw new ModelGeometryException(site.describe(type) + " needs an image input but gets a vector of "
                    + in.volume().elements() + " values; move it before the first dense layer.");
        }
    }

    private static void requireNIn(LayerPosition site, String type, long declared, long actual, String unit, Activations in) {
        // nIn is 0 until DL4J infers it from an input type; a declared or inferred one must agree with this input.
        if (declared > 0 && declared != actual) {
            throw new ModelGeometryException(site.describe(type) + " declares nIn=" + declared + " but its " + in.volume()
                    + " input gives " + actual + " " + unit + "; remove the explicit nIn, build the configuration "
                    + "with this input type, or change the layers before it.");
        }
    }

    private static String poolingName(PoolingType type) {
        return switch (type) {
            case MAX -> "Max";
            case AVG -> "Avg";
            case SUM -> "Sum";
            case PNORM -> "PNorm";
        };
    }

    /** Padding (cropping as negative padding) per side: one number when all four agree, else top,bottom,left,right. */
    private static String sides(int[] p) {
        boolean same = p[0] == p[1] && p[1] == p[2] && p[2] == p[3];
        return same ? Integer.toString(p[0]) : p[0] + "," + p[1] + "," + p[2] + "," + p[3];
    }
}
