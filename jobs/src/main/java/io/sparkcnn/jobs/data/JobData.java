package io.sparkcnn.jobs.data;

import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.RawBatches;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A job's data, read and checked on the driver before any Spark job starts: the training, validation and test
 * records, the network's input shape, and how the executors turn records into minibatches for training and
 * for evaluation.
 */
public record JobData(List<LabeledImage> train, List<LabeledImage> validation, List<LabeledImage> test,
                      ImageShape shape, BatchMaker trainBatches, BatchMaker evalBatches) {

    public static JobData load(JobConfig job) {
        JobConfig.Data d = job.data();
        Configuration hadoop = new Configuration();
        IdxDataset train = IdxDataset.read(d.trainImages(), d.trainLabels(), job.classes(), d.trainLimit(), hadoop);
        IdxDataset test = IdxDataset.read(d.testImages(), d.testLabels(), job.classes(), d.testLimit(), hadoop);
        if (!train.shape().equals(test.shape())) {
            throw new IllegalArgumentException(d.testImages() + " holds " + test.shape() + " images but "
                    + d.trainImages() + " holds " + train.shape() + "; train and test must match.");
        }
        ValidationSplit split = ValidationSplit.of(train.records(), d.validationFraction(), job.seed());
        RawBatches raw = new RawBatches(train.shape(), job.classes());
        return new JobData(split.train(), split.validation(), test.records(), train.shape(), raw, raw);
    }
}
