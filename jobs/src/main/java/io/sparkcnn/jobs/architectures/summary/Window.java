package io.sparkcnn.jobs.architectures.summary;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * The sliding window of a convolution or pooling layer (kernel, stride, padding, dilation, DL4J's convolution mode)
 * and the output-size arithmetic (W - F + 2P)/S + 1 that checks it against an input before DL4J does.
 */
record Window(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
        ConvolutionMode mode) {

    static Window of(ConvolutionLayer conv) {
        return of(conv.getKernelSize(), conv.getStride(), conv.getPadding(), conv.getDilation(),
                conv.getConvolutionMode());
    }

    static Window of(SubsamplingLayer pool) {
        return of(pool.getKernelSize(), pool.getStride(), pool.getPadding(), pool.getDilation(),
                pool.getConvolutionMode());
    }

    private static Window of(int[] kernel, int[] stride, int[] padding, int[] dilation, ConvolutionMode mode) {
        int[] d = dilation == null ? new int[] {1, 1} : dilation;
        // DL4J copies the network-wide mode into each layer when it builds; a bare layer means its default.
        return new Window(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], d[0], d[1],
                mode == null ? ConvolutionMode.Truncate : mode);
    }

    /** The output of this window over {@code in}, with {@code depth} channels; {@code who} names the layer in errors. */
    Volume output(String who, Volume in, long depth) {
        String context = who + " with kernel " + kernel() + ", stride " + stride() + ", padding " + padding()
                + " on a " + in + " input";
        long height = size(context, "height", 'H', in.height(), kernelH, strideH, padH, dilationH);
        long width = size(context, "width", 'W', in.width(), kernelW, strideW, padW, dilationW);
        return new Volume(width, height, depth);
    }

    ReceptiveField field(ReceptiveField in) {
        return in.through(span(kernelH, dilationH), span(kernelW, dilationW), strideH, strideW);
    }

    private long size(String context, String axis, char letter, long in, int kernel, int stride, int pad,
            int dilation) {
        if (mode == ConvolutionMode.Same) {
            // Same pads as needed, so only the stride decides: ceil(W / S).
            return Math.floorDiv(in + stride - 1, stride);
        }
        long f = span(kernel, dilation);
        long numerator = in - f + 2L * pad;
        String formula = "(" + letter + " - F + 2P)/S + 1 = (" + in + " - " + f + " + 2*" + pad + ")/" + stride
                + " + 1 = " + decimal(numerator, stride);
        if (numerator < 0) {
            throw new ModelGeometryException(context + ": the kernel " + (dilation > 1 ? "(dilated to " + f + ") " : "")
                    + axis + " " + f + " is larger than the padded input " + axis + " " + (in + 2L * pad)
                    + ", so the output " + axis + " " + formula + " is not positive. Use a smaller kernel, more "
                    + "padding, or ConvolutionMode.Same, or shrink the image less in the layers before.");
        }
        if (mode == ConvolutionMode.Strict && numerator % stride != 0) {
            throw new ModelGeometryException(context + ": under ConvolutionMode.Strict the output " + axis + " "
                    + formula + " is not an integer. Change the stride or padding, or use ConvolutionMode.Truncate "
                    + "(floors) or Same (ceil(" + letter + "/S)).");
        }
        return Math.floorDiv(numerator, stride) + 1;
    }

    private static long span(int kernel, int dilation) {
        return (long) (kernel - 1) * dilation + 1;
    }

    private static String decimal(long numerator, int stride) {
        if (numerator % stride == 0) {
            return Long.toString(numerator / stride + 1);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", (double) numerator / stride + 1)
                .replaceAll("0+$", "");
    }

    String kernel() {
        String k = pair(kernelH, kernelW, true);
        return dilationH == 1 && dilationW == 1 ? k : k + " d" + pair(dilationH, dilationW, false);
    }

    String stride() {
        return pair(strideH, strideW, false);
    }

    String padding() {
        return mode == ConvolutionMode.Same ? "same" : pair(padH, padW, false);
    }

    /** "5x5" for kernels, a single number for a square stride or padding, "HxW" when the two differ. */
    private static String pair(int h, int w, boolean always) {
        return h == w && !always ? Integer.toString(h) : h + "x" + w;
    }
}
