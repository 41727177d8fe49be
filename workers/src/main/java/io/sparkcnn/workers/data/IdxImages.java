package io.sparkcnn.workers.data;

/**
 * The content of an IDX image file (MNIST format): {@code count} greyscale images of {@code rows x cols}
 * unsigned bytes, stored back to back in {@code pixels}.
 */
public record IdxImages(String source, int count, int rows, int cols, byte[] pixels) {
    public int imageBytes() {
        return rows * cols;
    }

    /** A copy of image {@code index}'s raw bytes. */
    public byte[] image(int index) {
        byte[] out = new byte[imageBytes()];
        System.arraycopy(pixels, index * imageBytes(), out, 0, out.length);
        return out;
    }
}
