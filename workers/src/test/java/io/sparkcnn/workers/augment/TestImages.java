package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;

/** Small images with known content for the augmentation tests. */
final class TestImages {
    private TestImages() {}

    /** Every value distinct: 1000 * y + 10 * x + c, so that a value tells where it came from. */
    static Image coded(int height, int width, int channels) {
        Image image = Image.blank(height, width, channels);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    image.set(y, x, c, 1000 * y + 10 * x + c);
                }
            }
        }
        return image;
    }

    static Image constant(int height, int width, int channels, float value) {
        Image image = Image.blank(height, width, channels);
        java.util.Arrays.fill(image.pixels(), value);
        return image;
    }

    /** Pseudo-random content in 0..255 (a fixed seed), like a photograph's texture. */
    static Image noisy(int height, int width, int channels, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        Image image = Image.blank(height, width, channels);
        for (int i = 0; i < image.pixels().length; i++) {
            image.pixels()[i] = random.nextInt(256);
        }
        return image;
    }
}
