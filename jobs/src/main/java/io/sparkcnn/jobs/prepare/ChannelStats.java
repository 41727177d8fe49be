package io.sparkcnn.jobs.prepare;

import io.sparkcnn.workers.image.Image;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Per-channel mean and spread of pixel values (0..255), mergeable in any order: each image contributes its
 * exact sums, and partial results combine with Chan's formula, which stays accurate over millions of images
 * where a running sum of squares would lose the variance to cancellation.
 */
record ChannelStats(long pixels, double[] mean, double[] m2) implements Serializable {
    static ChannelStats empty(int channels) {
        return new ChannelStats(0, new double[channels], new double[channels]);
    }

    static ChannelStats of(Image image) {
        int channels = image.channels();
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        float[] values = image.pixels();
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            sum[i % channels] += v;
            squares[i % channels] += v * v;
        }
        long n = (long) image.height() * image.width();
        double[] mean = new double[channels];
        double[] m2 = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / n;
            m2[c] = Math.max(0, squares[c] - sum[c] * mean[c]);
        }
        return new ChannelStats(n, mean, m2);
    }

    ChannelStats merge(ChannelStats other) {
        if (other.pixels == 0) {
            return this;
        }
        if (pixels == 0) {
            return other;
        }
        long n = pixels + other.pixels;
        double[] mergedMean = new double[mean.length];
        double[] mergedM2 = new double[mean.length];
        for (int c = 0; c < mean.length; c++) {
            double delta = other.mean[c] - mean[c];
            mergedMean[c] = mean[c] + delta * other.pixels / n;
            mergedM2[c] = m2[c] + other.m2[c] + delta * delta * ((double) pixels * other.pixels / n);
        }
        return new ChannelStats(n, mergedMean, mergedM2);
    }

    List<Double> means() {
        return Arrays.stream(mean).boxed().toList();
    }

    /** The population standard deviation of every channel. */
    List<Double> stds() {
        return Arrays.stream(m2).map(v -> Math.sqrt(v / pixels)).boxed().toList();
    }
}
