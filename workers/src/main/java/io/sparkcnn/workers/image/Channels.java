package io.sparkcnn.workers.image;

/** Grey and RGB conversions shared by both decoding paths, so that either gives the same values. */
public final class Channels {
    private Channels() {}

    /** ITU-R BT.601 luma, the weights libjpeg, libpng and OpenCV use, rounded as they round. */
    static float luma(float r, float g, float b) {
        return Math.round(0.299f * r + 0.587f * g + 0.114f * b);
    }

    public static Image convert(Image image, int channels) {
        if (image.channels() == channels) {
            return image;
        }
        int pixels = image.height() * image.width();
        float[] in = image.pixels();
        float[] out = new float[pixels * channels];
        if (image.channels() == 3 && channels == 1) {
            for (int i = 0; i < pixels; i++) {
                out[i] = luma(in[3 * i], in[3 * i + 1], in[3 * i + 2]);
            }
        } else if (image.channels() == 1 && channels == 3) {
            for (int i = 0; i < pixels; i++) {
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = in[i];
            }
        } else {
            throw new IllegalArgumentException("cannot convert " + image.channels() + " channels to " + channels);
        }
        return new Image(image.height(), image.width(), channels, out);
    }
}
