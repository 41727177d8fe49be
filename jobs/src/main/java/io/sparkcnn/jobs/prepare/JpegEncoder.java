package io.sparkcnn.jobs.prepare;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.sparkcnn.workers.image.Image;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** Encodes a resized {@link Image} (RGB or grey, 0..255) as a JPEG with OpenCV's libjpeg-turbo. */
final class JpegEncoder {
    /** High enough that training does not learn the codec's blocks, at about a fifth of the PNG size. */
    static final int QUALITY = 95;

    static {
        // Spark already runs one task per core; OpenCV's own pool would only oversubscribe them.
        opencv_core.setNumThreads(1);
    }

    private JpegEncoder() {}

    static byte[] encode(Image image) {
        int channels = image.channels();
        float[] pixels = image.pixels();
        byte[] raw = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            // OpenCV wants BGR order: swap red and blue while rounding to bytes.
            int source = channels == 3 ? i - i % 3 + 2 - i % 3 : i;
            raw[i] = (byte) Math.max(0, Math.min(255, Math.round(pixels[source])));
        }
        try (Mat mat = new Mat(image.height(), image.width(), opencv_core.CV_8UC(channels));
             BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, QUALITY)) {
            ((ByteBuffer) mat.createBuffer()).put(raw);
            if (!imencode(".jpg", mat, out, params)) {
                throw new IllegalStateException("OpenCV could not encode a " + image + " image as JPEG");
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }
}
