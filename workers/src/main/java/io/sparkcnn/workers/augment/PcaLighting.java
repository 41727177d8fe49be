package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * AlexNet's PCA lighting noise: adds {@code sum_j eigenvectors[., j] * alpha_j * eigenvalues[j] * 255} to every
 * RGB pixel, alpha_j drawn from N(0, alphastd), clamped to 0..255. The defaults are the ImageNet eigenvalues and
 * eigenvectors (columns, RGB order) of pixels scaled to 0..1, as published with fb.resnet.torch. 3-channel only.
 */
public record PcaLighting(double p, double alphaStd, List<Double> eigenvalues, List<List<Double>> eigenvectors)
        implements Augmentation {
    public static final List<Double> IMAGENET_EIGENVALUES = List.of(0.2175, 0.0188, 0.0045);
    public static final List<List<Double>> IMAGENET_EIGENVECTORS = List.of(
            List.of(-0.5675, 0.7192, 0.4009),
            List.of(-0.5808, -0.0045, -0.8140),
            List.of(-0.5836, -0.6948, 0.4203));

    public PcaLighting {
        ParamValidators.requireProbability(p);
        ParamValidators.requireRange("alphastd", alphaStd, 0, 10);
        eigenvalues = List.copyOf(eigenvalues);
        if (eigenvalues.size() != 3) {
            throw new IllegalArgumentException("eigenvalues must list 3 numbers (R, G, B), not " + eigenvalues);
        }
        eigenvalues.forEach(v -> ParamValidators.requireAtLeast("eigenvalues", v, 0));
        eigenvectors = eigenvectors.stream().map(List::copyOf).toList();
        if (eigenvectors.size() != 3 || eigenvectors.stream().anyMatch(row -> row.size() != 3)) {
            throw new IllegalArgumentException("eigenvectors must be 3 rows (R, G, B) of 3 numbers, not "
                    + eigenvectors);
        }
    }

    @Override
    public void requireChannels(int channels) {
        if (channels != 3) {
            throw new IllegalArgumentException("pca-lighting needs 3-channel RGB images, not " + channels
                    + "-channel ones; remove it from the augment list for this data");
        }
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        requireChannels(in.channels());
        double[] weight = new double[3];
        for (int j = 0; j < 3; j++) {
            weight[j] = random.nextGaussian() * alphaStd * eigenvalues.get(j);
        }
        return shift(in, offset(weight));
    }

    /** The RGB offset, on the 0..255 scale, for eigenvector weights {@code alpha_j * eigenvalue_j}. */
    double[] offset(double[] weight) {
        double[] rgb = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 3; j++) {
                rgb[c] += eigenvectors.get(c).get(j) * weight[j] * 255;
            }
        }
        return rgb;
    }

    private static Image shift(Image in, double[] rgb) {
        float[] src = in.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = Pixels.clamp255(src[i] + rgb[i % 3]);
        }
        return new Image(in.height(), in.width(), 3, out);
    }
}
