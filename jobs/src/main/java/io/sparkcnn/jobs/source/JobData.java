package io.sparkcnn.jobs.source;

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
import io.sparkcnn.workers.data.RecipeBatches;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.folder.FolderScan;
import io.sparkcnn.workers.data.folder.FolderScanner;
import io.sparkcnn.workers.data.folder.Split;
import io.sparkcnn.workers.data.folder.SplitFractions;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A job's data: what the driver reads and checks before Spark starts (IDX or CIFAR records, a folder tree's
 * listing, a packed dataset's manifest), the class names, the network's input shape, and how the executors
 * turn records into minibatches for training (with augmentation) and for evaluation (without).
 */
public record JobData(List<LabeledImage> train, List<LabeledImage> validation, List<LabeledImage> test,
                      List<String> classNames, ImageShape storedShape, ImageShape shape, BatchMaker trainBatches,
                      BatchMaker evalBatches, FolderScan scan, ShardSource shards) {

    /**
     * The RDDs a run trains and evaluates on, with their sizes, and the files left out (with reasons). Training
     * ids run 0 to {@code trainCount - 1}. {@code validation} is null without a validation set (a {@code val/}
     * folder or split, or {@code data.validation-fraction}), {@code test} without a test set.
     */
    public record Splits(JavaRDD<LabeledImage> train, long trainCount, JavaRDD<LabeledImage> validation,
                         long validationCount, JavaRDD<LabeledImage> test, long testCount, List<Rejected> rejected) {

        /**
         * Where the run's final numbers come from, named for what it is: the test set; without one, the
         * validation set (which also picked the model, so its score flatters it); without either (a DataFrame
         * with no held-out rows), the training set itself.
         */
        public HeldOut finalSet() {
            if (test != null) {
                return new HeldOut(HeldOut.TEST, test, testCount);
            }
            if (validation != null) {
                return new HeldOut(HeldOut.VALIDATION, validation, validationCount);
            }
            return new HeldOut(HeldOut.TRAINING, train, trainCount);
        }
    }

    /**
     * A set a model is scored on, by the name every number from it carries: {@code "test"}, {@code "validation"}
     * or {@code "training"} ({@code test_accuracy}, {@code validation_accuracy} in metrics.json).
     */
    public record HeldOut(String split, JavaRDD<LabeledImage> records, long count) {
        public static final String TEST = "test";
        public static final String VALIDATION = "validation";
        public static final String TRAINING = "training";

        /** The key of a number from this set in metrics.json: {@code key("accuracy")} is "test_accuracy". */
        public String key(String what) {
            return split + "_" + what;
        }

        /** True unless this is the test set: then the number is not an unbiased estimate, and the console says so. */
        public boolean flattering() {
            return !TEST.equals(split);
        }
    }

    /**
     * Reads what can be read before Spark starts: IDX and CIFAR files whole, a folder tree's listing, a packed
     * dataset's manifest; the image files themselves are read by the executors in {@link #distribute}.
     */
    public static JobData load(JobConfig job) {
        JobConfig.Data d = job.data();
        Configuration hadoop = new Configuration();
        return switch (d.format()) {
            case IDX -> {
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
            case CIFAR -> {
                CifarLabels layout = d.cifarLabels();
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
            case FOLDER -> {
                FolderScan scan = FolderScanner.scan(d.root(), hadoop,
                        new SplitFractions(d.validationFraction(), d.testFraction(), job.seed()));
                yield fromEncoded(job, scan.classes().names(), scan, null);
            }
            case SHARDS -> {
                ShardSource shards = ShardSource.open(d.shards(), hadoop);
                yield fromEncoded(job, shards.classes().names(), null, shards);
            }
        };
    }

    /** Records per Spark partition when in-memory records are parallelised: small enough to spread, large enough to be few. */
    private static final int RECORDS_PER_SLICE = 1024;

    /** Puts the records on the executors (reading and checking image files there) for a run. */
    public Splits distribute(JavaSparkContext sc, JobConfig job) {
        int recordsPerSlice = RECORDS_PER_SLICE;
        if (scan != null) {
            Configuration hadoop = sc.hadoopConfiguration();
            Preprocess p = job.data().preprocess();
            // A centre crop without a resize before it needs images at least as large as the crop.
            int minSide = p.shorterSide() == 0 && p.cropHeight() > 0 ? Math.max(p.cropHeight(), p.cropWidth()) : 1;
            ImageCheck check = new ImageCheck(shape.channels(), minSide);
            BadDataPolicy policy = new BadDataPolicy(job.data().badData(),
                    job.data().maxBadFraction());
            List<Rejected> rejected = new ArrayList<>(FolderSource.notices(scan));
            Validated train = FolderSource.validate(scan, Split.TRAIN, FolderSource.read(sc, scan, Split.TRAIN), check,
                    policy);
            rejected.addAll(train.badFiles());
            Validated validation = null;
            if (!scan.entries(Split.VAL).isEmpty()) {
                validation = FolderSource.validate(scan, Split.VAL, FolderSource.read(sc, scan, Split.VAL), check,
                        policy);
                rejected.addAll(validation.badFiles());
            }
            Validated test = null;
            if (!scan.entries(Split.TEST).isEmpty()) {
                test = FolderSource.validate(scan, Split.TEST, FolderSource.read(sc, scan, Split.TEST), check, policy);
                rejected.addAll(test.badFiles());
            }
            if (test == null && validation == null) {
                throw new DataException(scan.root() + ": has neither a val/ nor a test/ sub-tree to evaluate on;"
                        + " set data.validation-fraction or data.test-fraction.");
            }
            // A val/ folder without a test/ one is still validation: the run's numbers say so (Splits.finalSet).
            return new Splits(train.good(), train.count(), validation == null ? null : validation.good(),
                    validation == null ? 0 : validation.count(), test == null ? null : test.good(),
                    test == null ? 0 : test.count(), rejected);
        }
        if (shards != null) {
            long validationCount = shards.count(Split.VAL);
            long testCount = shards.count(Split.TEST);
            if (validationCount == 0 && testCount == 0) {
                throw new DataException(job.data().shards() + ": its manifest has neither a val nor a test split to"
                        + " evaluate on; pack it again with 'prepare --validation' or '--test'.");
            }
            return new Splits(shards.read(sc, Split.TRAIN), shards.count(Split.TRAIN),
                    validationCount > 0 ? shards.read(sc, Split.VAL) : null, validationCount,
                    testCount > 0 ? shards.read(sc, Split.TEST) : null, testCount, shards.manifest().rejected());
        }
        return new Splits(parallelize(sc, train, recordsPerSlice, job), train.size(),
                validation.isEmpty() ? null : parallelize(sc, validation, recordsPerSlice, job), validation.size(),
                parallelize(sc, test, recordsPerSlice, job), test.size(), List.of());
    }

    /** Ships records read on the driver once and keeps them on the executors, in slices that are cheap tasks. */
    private static JavaRDD<LabeledImage> parallelize(JavaSparkContext sc, List<LabeledImage> records,
                                                     int recordsPerSlice, JobConfig job) {
        int slices = Math.max(job.training().workers(), (records.size() + recordsPerSlice - 1) / recordsPerSlice);
        return sc.parallelize(records, slices).persist(RecordStorage.LEVEL);
    }

    /** Records holding encoded image files: the network's input comes from the preprocessing's fixed size. */
    private static JobData fromEncoded(JobConfig job, List<String> classNames, FolderScan scan, ShardSource shards) {
        JobConfig.Data d = job.data();
        Preprocess p = withManifestStatistics(d.preprocess(), shards);
        int height = p.height() > 0 ? p.height() : p.cropHeight();
        int width = p.height() > 0 ? p.width() : p.cropWidth();
        if (height == 0) {
            throw new IllegalArgumentException("data.preprocess: image files come in many sizes; give the network's"
                    + " input with height and width (and/or shorter-side with crop-height and crop-width).");
        }
        List<String> names = d.classNames().isEmpty() ? classNames : d.classNames();
        if (!names.equals(classNames) && names.size() != classNames.size()) {
            throw new IllegalArgumentException("data.class-names: " + names.size() + " names, but the data has "
                    + classNames.size() + " classes " + classNames + ".");
        }
        ImageShape input = new ImageShape(d.channels() == 0 ? 3 : d.channels(), height, width);
        int classes = names.size();
        BatchMaker trainBatches = RecipeBatches.of(new ImageBatches(null, input, classes,
                new ImageTransforms(p, d.augment()), d.prefetch()), job.training().batchRecipe());
        BatchMaker evalBatches = new ImageBatches(null, input, classes, ImageTransforms.evaluation(p), d.prefetch());
        checkAugmentationKeepsTheShape(job, new ImageShape(input.channels(), Math.max(height, p.shorterSide()),
                Math.max(width, p.shorterSide())), input);
        return new JobData(List.of(), List.of(), List.of(), names, null, input, trainBatches, evalBatches, scan,
                shards);
    }

    /**
     * Standardisation of packed shards uses the mean and standard deviation their manifest measured on the
     * training images, unless the job gives its own (anything but the ImageNet defaults).
     */
    private static Preprocess withManifestStatistics(Preprocess p, ShardSource shards) {
        boolean defaults = p.mean().equals(Preprocess.IMAGENET_MEAN) && p.std().equals(Preprocess.IMAGENET_STD);
        if (shards == null || p.normalize() != Preprocess.Normalize.STANDARDIZE || !defaults) {
            return p;
        }
        return new Preprocess(p.shorterSide(), p.cropHeight(), p.cropWidth(), p.height(), p.width(), p.normalize(),
                shards.manifest().mean(), shards.manifest().std());
    }

    /**
     * Whether the run will have a validation set, known before Spark starts: a folder tree's {@code val/} (or the
     * share carved from {@code train/}), a packed dataset's val split, or the held-out share of IDX and CIFAR.
     */
    public boolean validates() {
        if (scan != null) {
            return !scan.entries(Split.VAL).isEmpty();
        }
        if (shards != null) {
            return shards.count(Split.VAL) > 0;
        }
        return !validation.isEmpty();
    }

    /** Training, validation and test images before Spark reads them (for a folder tree: as listed). */
    public String sizes() {
        if (scan != null) {
            return String.format("%,d training, %,d validation and %,d test files", scan.entries(Split.TRAIN).size(),
                    scan.entries(Split.VAL).size(), scan.entries(Split.TEST).size());
        }
        if (shards != null) {
            return String.format("%,d training, %,d validation and %,d test images", shards.count(Split.TRAIN),
                    shards.count(Split.VAL), shards.count(Split.TEST));
        }
        return String.format("%,d training, %,d validation and %,d test images", train.size(), validation.size(),
                test.size());
    }

    private static List<LabeledImage> limit(List<LabeledImage> records, int limit) {
        return limit > 0 && limit < records.size() ? records.subList(0, limit) : records;
    }

    /** Records that hold raw pixels of {@code stored} shape, with the job's channels, preprocessing and augmentation. */
    private static JobData fromRaw(JobConfig job, List<LabeledImage> train, List<LabeledImage> test,
                                   List<String> classNames, ImageShape stored) {
        ValidationSplit split = ValidationSplit.of(train, job.data().validationFraction(), job.seed());
        JobData batches = ofRecords(job, classNames, stored);
        return new JobData(split.train(), split.validation(), test, classNames, stored, batches.shape(),
                batches.trainBatches(), batches.evalBatches(), null, null);
    }

    /**
     * The data of records that are already in Spark (a DataFrame's, for Spark ML): raw CHW pixels of
     * {@code stored} shape, or encoded image files when {@code stored} is null. Only the shapes and the batch
     * makers, since the caller puts the records on the executors.
     */
    public static JobData ofRecords(JobConfig job, List<String> classNames, ImageShape stored) {
        if (stored == null) {
            return fromEncoded(job, classNames, null, null);
        }
        JobConfig.Data d = job.data();
        int channels = d.channels() == 0 ? stored.channels() : d.channels();
        ImageShape input = outputShape(d.preprocess(), new ImageShape(channels, stored.height(), stored.width()));
        int classes = classNames.size();
        Preprocess p = d.preprocess();
        // The foundation's fast path, when nothing but the /255 scaling is asked for.
        boolean plain = input.equals(stored) && d.augment().steps().isEmpty() && p.shorterSide() == 0
                && p.cropHeight() == 0 && p.height() == 0 && p.normalize() == Preprocess.Normalize.SCALE;
        BatchMaker evalBatches = plain ? new RawBatches(stored, classes)
                : new ImageBatches(stored, input, classes, ImageTransforms.evaluation(d.preprocess()), d.prefetch());
        BatchMaker images = plain ? evalBatches
                : new ImageBatches(stored, input, classes, new ImageTransforms(d.preprocess(), d.augment()),
                        d.prefetch());
        // Label smoothing, mixup and cutmix reach the training task only: evaluation scores the plain labels.
        BatchMaker trainBatches = RecipeBatches.of(images, job.training().batchRecipe());
        checkAugmentationKeepsTheShape(job, stored, input);
        return new JobData(List.of(), List.of(), List.of(), classNames, stored, input, trainBatches, evalBatches,
                null, null);
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
        try {
            d.augment().requireSize(input.height(), input.width());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data.augment: " + e.getMessage(), e);
        }
    }

    public int classes() {
        return classNames.size();
    }
}
