package io.sparkcnn.jobs.data;

import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.augment.ImageTransforms;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.CifarLabels;
import io.sparkcnn.workers.data.CifarReader;
import io.sparkcnn.workers.data.CifarSet;
import io.sparkcnn.workers.data.ImageBatches;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.RawBatches;
import io.sparkcnn.workers.image.Image;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A job's data, read and checked on the driver before any Spark job starts: the training, validation and test
 * records, the class names, the network's input shape, and how the executors turn records into minibatches
 * for training (with augmentation) and for evaluation (without).
 */
public record JobData(List<LabeledImage> train, List<LabeledImage> validation, List<LabeledImage> test,
                      List<String> classNames, ImageShape storedShape, ImageShape shape, BatchMaker trainBatches,
                      BatchMaker evalBatches) {

    public static JobData load(JobConfig job) {
        JobConfig.Data d = job.data();
        Configuration hadoop = new Configuration();
        return switch (d.format()) {
            case "idx" -> {
                IdxDataset train = IdxDataset.read(d.trainImages(), d.trainLabels(), job.classes(), d.trainLimit(),
                        hadoop);
                IdxDataset test = IdxDataset.read(d.testImages(), d.testLabels(), job.classes(), d.testLimit(),
                        hadoop);
                if (!train.shape().equals(test.shape())) {
                    throw new IllegalArgumentException(d.testImages() + " holds " + test.shape() + " images but "
                            + d.trainImages() + " holds " + train.shape() + "; train and test must match.");
                }
                yield fromRaw(job, train.records(), test.records(), job.classNames(), train.shape());
            }
            case "cifar" -> {
                CifarLabels layout = switch (d.cifarLabels()) {
                    case "cifar100-fine" -> CifarLabels.CIFAR_100_FINE;
                    case "cifar100-coarse" -> CifarLabels.CIFAR_100_COARSE;
                    default -> CifarLabels.CIFAR_10;
                };
                CifarSet train = CifarReader.readTrain(d.cifarDir(), hadoop, layout);
                CifarSet test = CifarReader.readTest(d.cifarDir(), hadoop, layout);
                List<String> names = d.classNames().isEmpty() ? train.classNames() : d.classNames();
                if (names.size() != layout.classes()) {
                    throw new IllegalArgumentException("data.class-names: " + names.size() + " names, but "
                            + d.cifarLabels() + " has " + layout.classes() + " classes.");
                }
                yield fromRaw(job, limit(train.images(), d.trainLimit()), limit(test.images(), d.testLimit()), names,
                        CifarLabels.SHAPE);
            }
            default -> throw new IllegalArgumentException("data.format: '" + d.format() + "' is read with Spark;"
                    + " use JobData.distributed");
        };
    }

    private static List<LabeledImage> limit(List<LabeledImage> records, int limit) {
        return limit > 0 && limit < records.size() ? records.subList(0, limit) : records;
    }

    /** Records that hold raw pixels of {@code stored} shape, with the job's channels, preprocessing and augmentation. */
    private static JobData fromRaw(JobConfig job, List<LabeledImage> train, List<LabeledImage> test,
                                   List<String> classNames, ImageShape stored) {
        JobConfig.Data d = job.data();
        ValidationSplit split = ValidationSplit.of(train, d.validationFraction(), job.seed());
        int channels = d.channels() == 0 ? stored.channels() : d.channels();
        ImageShape input = outputShape(d.preprocess(), new ImageShape(channels, stored.height(), stored.width()));
        int classes = classNames.size();
        Preprocess p = d.preprocess();
        // The foundation's fast path, when nothing but the /255 scaling is asked for.
        boolean plain = input.equals(stored) && d.augment().steps().isEmpty() && p.shorterSide() == 0
                && p.cropHeight() == 0 && p.height() == 0 && p.normalize() == Preprocess.Normalize.SCALE;
        BatchMaker trainBatches = plain ? new RawBatches(stored, classes)
                : new ImageBatches(stored, input, classes, new ImageTransforms(d.preprocess(), d.augment()),
                        d.prefetch());
        BatchMaker evalBatches = plain ? trainBatches
                : new ImageBatches(stored, input, classes, ImageTransforms.evaluation(d.preprocess()), d.prefetch());
        checkAugmentationKeepsTheShape(job, stored, input);
        return new JobData(split.train(), split.validation(), test, classNames, stored, input, trainBatches,
                evalBatches);
    }

    /** The shape preprocessing gives an image of {@code source}'s size: what the network is built for. */
    public static ImageShape outputShape(Preprocess preprocess, ImageShape source) {
        Image probe = preprocess.geometry(Image.blank(source.height(), source.width(), source.channels()));
        return new ImageShape(probe.channels(), probe.height(), probe.width());
    }

    /** Augmentation that changes the size (a crop to another size) would break the network's input. */
    private static void checkAugmentationKeepsTheShape(JobConfig job, ImageShape stored, ImageShape input) {
        JobConfig.Data d = job.data();
        d.augment().requireChannels(input.channels());
        Image probe = d.augment().apply(d.preprocess().geometry(
                Image.blank(stored.height(), stored.width(), input.channels())), job.seed(), 1, 0);
        if (probe.height() != input.height() || probe.width() != input.width()) {
            throw new IllegalArgumentException("data.augment: turns the " + input + " images into " + probe
                    + " ones, but evaluation sees " + input + "; give the crops the size preprocessing gives.");
        }
    }

    public int classes() {
        return classNames.size();
    }
}
