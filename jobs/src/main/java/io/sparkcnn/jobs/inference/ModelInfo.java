package io.sparkcnn.jobs.inference;

import io.sparkcnn.jobs.report.Environment;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.ImageBatches;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.image.Channels;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.image.ImageDecoder;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What a saved model needs besides its weights to classify an image file on its own: the class names in the
 * order of the network's outputs, the input volume, and the evaluation preprocessing the training run used
 * (resizes, centre crop, normalisation with its mean and std), plus where it came from. Stored as plain JSON in
 * {@code model.zip} by {@link SavedModel}; {@link #input} turns an image into exactly what the network saw.
 */
public record ModelInfo(int formatVersion, List<String> classNames, int channels, int height, int width,
                        Preprocess preprocess, String architecture, String job, long seed, String trainedOn,
                        String created, String dl4jVersion) implements Serializable {
    public static final int FORMAT_VERSION = 1;

    public ModelInfo {
        classNames = List.copyOf(classNames);
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("no class names");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("the input size must be positive, not " + width + "x" + height);
        }
        if (preprocess == null) {
            throw new IllegalArgumentException("no preprocess");
        }
    }

    /** The description of a model trained by {@code job} on {@code data}, with the evaluation view of its images. */
    public static ModelInfo of(JobConfig job, JobData data) {
        ImageShape shape = data.shape();
        return new ModelInfo(FORMAT_VERSION, data.classNames(), shape.channels(), shape.height(), shape.width(),
                evaluationPreprocess(data.evalBatches()), job.model().architecture().word(), job.name(), job.seed(),
                job.data().format().word(), Instant.now().toString(), Environment.dl4jVersion());
    }

    /**
     * The preprocessing evaluation applies. Raw IDX/CIFAR records on the fast path are only scaled by 1/255
     * ({@code RawBatches}), which is {@code normalize = scale} with no geometry; everything else carries its own.
     */
    static Preprocess evaluationPreprocess(BatchMaker evalBatches) {
        if (evalBatches instanceof ImageBatches images) {
            return images.transforms().preprocess();
        }
        Preprocess none = Preprocess.none();
        return new Preprocess(0, 0, 0, 0, 0, Preprocess.Normalize.SCALE, none.mean(), none.std());
    }

    public ImageShape shape() {
        return new ImageShape(channels, height, width);
    }

    /** An encoded image file (JPEG, PNG, BMP, GIF) as the network's input; a {@link DataException} names the file. */
    public Image input(byte[] file, String path) {
        return input(ImageDecoder.decode(file, path, channels), path);
    }

    /** A decoded image (0..255) converted to the model's channels, preprocessed and checked against its input. */
    public Image input(Image decoded, String path) {
        Image out = preprocess.apply(Channels.convert(decoded, channels));
        if (out.height() != height || out.width() != width) {
            throw new DataException(path + ": a " + decoded.width() + "x" + decoded.height() + " image becomes "
                    + out + " after the model's preprocessing, but the network takes " + shape() + "; resize the"
                    + " images to " + width + "x" + height + " or use a model trained with data.preprocess height"
                    + " and width.");
        }
        return out;
    }

    /** The preprocessing's geometry only (0..255 values), for drawing the image the network sees. */
    public Image view(Image decoded) {
        return preprocess.geometry(Channels.convert(decoded, channels));
    }
}
