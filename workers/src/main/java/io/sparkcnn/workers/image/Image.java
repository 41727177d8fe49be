package io.sparkcnn.workers.image;

/**
 * An image between decoding and the minibatch: {@code height x width x channels} floats, interleaved (HWC, the
 * layout OpenCV and ImageIO use), in 0..255 until normalised. Decoders produce it, preprocessing and
 * augmentation map it to new images, and {@link #writeChw} copies it into a minibatch's NCHW buffer.
 */
public record Image(int height, int width, int channels, float[] pixels) {
    public Image {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("an image needs a positive size, not " + width + "x" + height + "x"
                    + channels);
        }
        if (pixels.length != (long) height * width * channels) {
            throw new IllegalArgumentException("a " + width + "x" + height + "x" + channels + " image needs "
                    + (long) height * width * channels + " values, not " + pixels.length);
        }
    }

    public static Image blank(int height, int width, int channels) {
        return new Image(height, width, channels, new float[height * width * channels]);
    }

    /** From unsigned bytes in channel-height-width order, the layout of IDX and CIFAR records. */
    public static Image fromChwBytes(byte[] chw, int height, int width, int channels) {
        float[] hwc = new float[height * width * channels];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                hwc[i * channels + c] = chw[c * plane + i] & 0xff;
            }
        }
        return new Image(height, width, channels, hwc);
    }

    public float get(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c];
    }

    public void set(int y, int x, int c, float value) {
        pixels[(y * width + x) * channels + c] = value;
    }

    /** Copies this image into {@code into} from {@code offset} on, in channel-height-width order. */
    public void writeChw(float[] into, int offset) {
        int plane = height * width;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < channels; c++) {
                into[offset + c * plane + i] = pixels[i * channels + c];
            }
        }
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + channels;
    }
}
