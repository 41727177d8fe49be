package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import java.io.Serializable;

/**
 * What an executor does to one decoded image: preprocessing geometry, then augmentation, then normalisation.
 * Evaluation uses its own {@link Preprocess} and {@link AugmentPipeline#NONE}.
 */
public record ImageTransforms(Preprocess preprocess, AugmentPipeline augment) implements Serializable {
    public static ImageTransforms evaluation(Preprocess preprocess) {
        return new ImageTransforms(preprocess, AugmentPipeline.NONE);
    }

    public Image apply(Image in, long jobSeed, int epoch, long recordId) {
        return preprocess.normalize(augment.apply(preprocess.geometry(in), jobSeed, epoch, recordId));
    }
}
