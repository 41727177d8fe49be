package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamChoice;
import io.sparkcnn.workers.params.ParamValidators;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The deterministic part of the image path: resize so that the shorter side is {@code shorterSide}, cut the centre
 * cropHeight x cropWidth window, resize to exactly height x width (each step left out when its size is 0), then
 * normalise. Augmentation goes between {@link #geometry} and {@link #normalize}, since it works on 0..255 values.
 */
public record Preprocess(int shorterSide, int cropHeight, int cropWidth, int height, int width, Normalize normalize,
        List<Double> mean, List<Double> std) implements Serializable {
    /** ImageNet's per-channel RGB mean and standard deviation on the 0..255 scale (torchvision's values x 255). */
    public static final List<Double> IMAGENET_MEAN = List.of(123.675, 116.28, 103.53);
    public static final List<Double> IMAGENET_STD = List.of(58.395, 57.12, 57.375);

    /** Values as decoded, scaled to 0..1 (the network's usual input), or standardised per channel. */
    public enum Normalize implements ParamChoice {
        NONE, SCALE, STANDARDIZE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Preprocess {
        ParamValidators.requireAtLeast("shorter-side", shorterSide, 0);
        ParamValidators.requireAtLeast("crop-height", cropHeight, 0);
        ParamValidators.requireAtLeast("crop-width", cropWidth, 0);
        ParamValidators.requireAtLeast("height", height, 0);
        ParamValidators.requireAtLeast("width", width, 0);
        if ((cropHeight == 0) != (cropWidth == 0) || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("crop-height/crop-width and height/width must each be set together or "
                    + "both left at 0, not " + cropHeight + "/" + cropWidth + " and " + height + "/" + width);
        }
        if (normalize == null) {
            throw new IllegalArgumentException("normalize must be one of none, scale, standardize");
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.isEmpty() || mean.size() != std.size()) {
            throw new IllegalArgumentException("mean and std need one value per channel each, not " + mean + " and "
                    + std);
        }
        std.forEach(s -> ParamValidators.requireAtLeast("std", s, 1e-6));
        if (normalize == Normalize.STANDARDIZE && mean.stream().allMatch(m -> m <= 1)
                && std.stream().allMatch(s -> s <= 1)) {
            throw new IllegalArgumentException("mean " + mean + " and std " + std + " look like the 0..1 scale; "
                    + "they apply to 0..255 values here, so multiply them by 255");
        }
    }

    /** Everything left out: the image passes unchanged. */
    public static Preprocess none() {
        return new Preprocess(0, 0, 0, 0, 0, Normalize.NONE, IMAGENET_MEAN, IMAGENET_STD);
    }

    /** The usual evaluation view: shorter side to {@code shorterSide}, then the centre crop x crop window. */
    public static Preprocess evaluation(int shorterSide, int crop, Normalize normalize) {
        return new Preprocess(shorterSide, crop, crop, 0, 0, normalize, IMAGENET_MEAN, IMAGENET_STD);
    }

    public Image apply(Image in) {
        return normalize(geometry(in));
    }

    /** The resizes and the centre crop, on 0..255 values. */
    public Image geometry(Image in) {
        Image out = in;
        if (shorterSide > 0) {
            double scale = (double) shorterSide / Math.min(out.height(), out.width());
            int h = out.height() <= out.width() ? shorterSide : (int) Math.round(out.height() * scale);
            int w = out.width() < out.height() ? shorterSide : (int) Math.round(out.width() * scale);
            out = OpenCv.resize(out, h, w);
        }
        if (cropHeight > 0) {
            if (cropHeight > out.height() || cropWidth > out.width()) {
                throw new IllegalArgumentException("the centre crop " + cropWidth + "x" + cropHeight + " (crop-width x "
                        + "crop-height) does not fit a " + out + " image; raise shorter-side or lower the crop");
            }
            out = Pixels.centreCrop(out, cropHeight, cropWidth);
        }
        if (height > 0) {
            out = OpenCv.resize(out, height, width);
        }
        return out;
    }

    public Image normalize(Image in) {
        if (normalize == Normalize.NONE) {
            return in;
        }
        float[] src = in.pixels();
        float[] out = new float[src.length];
        if (normalize == Normalize.SCALE) {
            for (int i = 0; i < src.length; i++) {
                out[i] = src[i] / 255f;
            }
        } else {
            int c = in.channels();
            float[] m = perChannel(mean, c, "mean");
            float[] s = perChannel(std, c, "std");
            for (int i = 0; i < src.length; i++) {
                out[i] = (src[i] - m[i % c]) / s[i % c];
            }
        }
        return new Image(in.height(), in.width(), in.channels(), out);
    }

    /** The values for {@code channels} channels: a single value serves all of them. */
    private static float[] perChannel(List<Double> values, int channels, String key) {
        if (values.size() != 1 && values.size() != channels) {
            throw new IllegalArgumentException(key + " " + values + " has " + values.size() + " values but the images "
                    + "have " + channels + " channels; give one value or one per channel");
        }
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = values.get(values.size() == 1 ? 0 : c).floatValue();
        }
        return out;
    }
}
