package io.sparkcnn.jobs.source;

import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.config.SourceFormat;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.FolderEntry;
import io.sparkcnn.workers.data.folder.FolderScan;
import io.sparkcnn.workers.data.folder.FolderScanner;
import io.sparkcnn.workers.data.folder.Split;
import io.sparkcnn.workers.data.folder.SplitFractions;
import io.sparkcnn.workers.image.Channels;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.image.ImageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A few of a job's images read on the driver, without Spark, and decoded as the executors decode them: the first
 * training images for {@code augment-preview}, one test image for {@code visualize --index}.
 */
public final class SampleImages {
    /** One image and where it came from, for a caption. */
    public record Sample(Image image, String caption) {}

    private SampleImages() {}

    /** The first {@code n} training images, decoded to the job's channel count. */
    public static List<Image> firstTraining(JobConfig job, int n, String command) {
        JobConfig.Data d = job.data();
        if (d.format() == SourceFormat.FOLDER) {
            Configuration hadoop = new Configuration();
            List<FolderEntry> entries = scan(job, hadoop).entries(Split.TRAIN);
            List<Image> out = new ArrayList<>();
            for (FolderEntry e : entries.subList(0, Math.min(n, entries.size()))) {
                out.add(ImageDecoder.decode(readBytes(e.path(), hadoop), e.path(),
                        d.channels() == 0 ? 3 : d.channels()));
            }
            return out;
        }
        JobData data = loadArrays(job, command + " reads idx, cifar and folder data; for shards, use the folder"
                + " tree they were prepared from.");
        List<Image> out = new ArrayList<>();
        for (LabeledImage r : data.train().subList(0, Math.min(n, data.train().size()))) {
            out.add(Channels.convert(stored(data, r), data.shape().channels()));
        }
        return out;
    }

    /** The {@code index}-th test image (the validation split of a folder tree without a test split), 0..255. */
    public static Sample test(JobConfig job, int index, String command) {
        if (job.data().format() == SourceFormat.FOLDER) {
            Configuration hadoop = new Configuration();
            FolderScan scan = scan(job, hadoop);
            List<FolderEntry> test = scan.entries(Split.TEST).isEmpty() ? scan.entries(Split.VAL)
                    : scan.entries(Split.TEST);
            FolderEntry e = pick(test, index);
            return new Sample(ImageDecoder.decode(readBytes(e.path(), hadoop), e.path(), 3),
                    e.path() + " (" + e.className() + ")");
        }
        JobData data = loadArrays(job, command + " reads idx, cifar and folder data; for shards give --image.");
        LabeledImage r = pick(data.test(), index);
        return new Sample(stored(data, r), "test image " + index + " (" + data.classNames().get(r.label()) + ")");
    }

    /** A whole file from any Hadoop file system (local, HDFS, S3), naming it when it cannot be read. */
    public static byte[] readBytes(String path, Configuration hadoop) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try (InputStream in = p.getFileSystem(hadoop).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static FolderScan scan(JobConfig job, Configuration hadoop) {
        JobConfig.Data d = job.data();
        return FolderScanner.scan(d.root(), hadoop,
                new SplitFractions(d.validationFraction(), d.testFraction(), job.seed()));
    }

    private static JobData loadArrays(JobConfig job, String otherwise) {
        SourceFormat format = job.data().format();
        if (format != SourceFormat.IDX && format != SourceFormat.CIFAR) {
            throw new ConfigError(otherwise);
        }
        return JobData.load(job);
    }

    private static Image stored(JobData data, LabeledImage r) {
        var shape = data.storedShape();
        return Image.fromChwBytes(r.pixels(), shape.height(), shape.width(), shape.channels());
    }

    private static <T> T pick(List<T> test, int index) {
        if (index < 0 || index >= test.size()) {
            throw new ConfigError("--index " + index + ": the test set has " + test.size() + " images (0.."
                    + (test.size() - 1) + ").");
        }
        return test.get(index);
    }
}
