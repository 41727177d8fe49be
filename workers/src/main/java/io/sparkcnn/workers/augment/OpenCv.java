package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The few OpenCV calls augmentation needs (resize, affine warp, remap, Gaussian blur) on {@link Image}s, copying
 * into a float Mat and back and closing every native object before returning, so nothing leaks per image.
 */
final class OpenCv {
    static {
        // Executors already run one task per core: OpenCV's own pool would oversubscribe them.
        opencv_core.setNumThreads(1);
    }

    private OpenCv() {}

    /** Resizes to exactly height x width: area averaging when shrinking (no aliasing), bilinear otherwise. */
    static Image resize(Image in, int height, int width) {
        if (in.height() == height && in.width() == width) {
            return in;
        }
        boolean shrinking = height <= in.height() && width <= in.width();
        int interpolation = shrinking ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR;
        try (Mat src = toMat(in); Mat dst = new Mat(); Size size = new Size(width, height)) {
            opencv_imgproc.resize(src, dst, size, 0, 0, interpolation);
            return fromMat(dst, in.channels());
        }
    }

    /**
     * Warps by the 2x3 affine matrix {@code m} (row-major, from source to output coordinates), keeping the size
     * and interpolating bilinearly; pixels with no source follow {@code fill}.
     */
    static Image warpAffine(Image in, double[] m, Fill fill) {
        try (Mat src = toMat(in); Mat dst = new Mat(); Mat matrix = new Mat(2, 3, opencv_core.CV_64FC1);
                Size size = new Size(in.width(), in.height()); Scalar border = border(fill)) {
            DoubleBuffer values = matrix.createBuffer();
            values.put(m);
            opencv_imgproc.warpAffine(src, dst, matrix, size, opencv_imgproc.INTER_LINEAR, borderMode(fill), border);
            return fromMat(dst, in.channels());
        }
    }

    /** Output pixel i samples the input at (xy[2i], xy[2i+1]) bilinearly; outside, {@code fill} decides. */
    static Image remap(Image in, float[] xy, Fill fill) {
        try (Mat src = toMat(in); Mat dst = new Mat(); Mat map = new Mat(in.height(), in.width(), opencv_core.CV_32FC2);
                Mat none = new Mat(); Scalar border = border(fill)) {
            FloatBuffer values = map.createBuffer();
            values.put(xy);
            opencv_imgproc.remap(src, dst, map, none, opencv_imgproc.INTER_LINEAR, borderMode(fill), border);
            return fromMat(dst, in.channels());
        }
    }

    /** Blurs every channel with a Gaussian of {@code sigma} pixels, the kernel sized by OpenCV from sigma. */
    static Image gaussianBlur(Image in, double sigma) {
        try (Mat src = toMat(in); Mat dst = new Mat(); Size auto = new Size(0, 0)) {
            opencv_imgproc.GaussianBlur(src, dst, auto, sigma, sigma, opencv_core.BORDER_REFLECT_101);
            return fromMat(dst, in.channels());
        }
    }

    private static Mat toMat(Image in) {
        Mat mat = new Mat(in.height(), in.width(), opencv_core.CV_32FC(in.channels()));
        FloatBuffer values = mat.createBuffer();
        values.put(in.pixels());
        return mat;
    }

    private static Image fromMat(Mat mat, int channels) {
        float[] pixels = new float[mat.rows() * mat.cols() * channels];
        FloatBuffer values = mat.createBuffer();
        values.get(pixels);
        return new Image(mat.rows(), mat.cols(), channels, pixels);
    }

    private static int borderMode(Fill fill) {
        return switch (fill.mode()) {
            case CONSTANT -> opencv_core.BORDER_CONSTANT;
            case REFLECT -> opencv_core.BORDER_REFLECT_101;
            case EDGE -> opencv_core.BORDER_REPLICATE;
        };
    }

    private static Scalar border(Fill fill) {
        double v = fill.value();
        return new Scalar(v, v, v, v);
    }
}
