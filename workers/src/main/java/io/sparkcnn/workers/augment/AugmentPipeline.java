package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.Seeds;
import io.sparkcnn.workers.image.Image;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training augmentations in the order they are applied, each drawn with its own probability. All draws for
 * one image come from one generator seeded by the job seed, the epoch and the record id, so that a record is
 * augmented identically on a rerun and differently in every epoch.
 */
public record AugmentPipeline(List<Augmentation> steps) implements Serializable {
    public static final AugmentPipeline NONE = new AugmentPipeline(List.of());

    public AugmentPipeline {
        steps = List.copyOf(steps);
    }

    public static AugmentPipeline of(Augmentation... steps) {
        return new AugmentPipeline(List.of(steps));
    }

    public Image apply(Image in, long jobSeed, int epoch, long recordId) {
        if (steps.isEmpty()) {
            return in;
        }
        return apply(in, new SplittableRandom(Seeds.of(jobSeed, "augment", epoch, recordId)));
    }

    /**
     * Applies the steps with draws from {@code random}. Each step gets its own generator split off in step order,
     * so that its draws depend only on the seed and its position, not on whether or how earlier steps were applied.
     */
    Image apply(Image in, SplittableRandom random) {
        Image out = in;
        for (Augmentation step : steps) {
            SplittableRandom own = random.split();
            out = own.nextDouble() < step.p() ? step.apply(out, own) : step.skip(out);
        }
        return out;
    }

    /**
     * Fails before any work, naming the step and both sizes, when a step would turn the network's height x width
     * input into images of another size: evaluation sees the preprocessed size, so training must too.
     */
    public void requireSize(int height, int width) {
        Image input = Image.blank(height, width, 3);
        for (int i = 0; i < steps.size(); i++) {
            Augmentation step = steps.get(i);
            for (Image out : List.of(step.skip(input), step.apply(input, new SplittableRandom(i)))) {
                if (out.height() != height || out.width() != width) {
                    throw new IllegalArgumentException("augment[" + i + "] (type \"" + AugmentRegistry.typeName(step)
                            + "\") gives " + out.height() + "x" + out.width() + " images (height x width), but the"
                            + " network's input is " + height + "x" + width + " (what data.preprocess gives); leave"
                            + " the step's height and width out (0: the input's size) or set them to " + height
                            + " and " + width + ".");
                }
            }
        }
    }

    /** Fails before any work when a step cannot handle images with this many channels. */
    public void requireChannels(int channels) {
        for (int i = 0; i < steps.size(); i++) {
            try {
                steps.get(i).requireChannels(channels);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("augment[" + i + "]: " + e.getMessage(), e);
            }
        }
    }
}
