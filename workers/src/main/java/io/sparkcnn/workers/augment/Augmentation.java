package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import java.io.Serializable;
import java.util.random.RandomGenerator;

/**
 * One random image transform with the probability {@link #p} that an {@link AugmentPipeline} applies it. Every
 * implementation is an immutable record that never changes its input image and takes every random draw from the
 * generator it is given, so that the pipeline's seed alone decides the output.
 */
public sealed interface Augmentation extends Serializable
        permits HorizontalFlip, VerticalFlip, Rotate, Rotate90, Translate, Zoom, Shear, PadCrop, RandomResizedCrop,
        GaussianNoise, ColorJitter, PcaLighting, Elastic, Cutout {

    /** The probability that the pipeline applies this step, in 0..1. */
    double p();

    /** Applies the transform unconditionally, drawing its parameters from {@code random}. */
    Image apply(Image in, RandomGenerator random);

    /**
     * What the step gives when the pipeline does not draw it: the input itself, except for steps that promise an
     * output size, which then give their deterministic centre view of that size.
     */
    default Image skip(Image in) {
        return in;
    }

    /** Fails before any work when the step cannot handle images of this many channels. */
    default void requireChannels(int channels) {}
}
