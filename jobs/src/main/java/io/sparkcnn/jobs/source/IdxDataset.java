package io.sparkcnn.jobs.source;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.IdxImages;
import io.sparkcnn.workers.data.IdxReader;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * An IDX image file and its label file, checked against each other: the records they make, ids 0 to n - 1
 * in file order. Read on the driver (IDX files are one gzip stream each, which cannot be split) before any
 * Spark job starts, so that bad data stops the run early.
 */
public record IdxDataset(String imagesPath, ImageShape shape, List<LabeledImage> records) {

    public static IdxDataset read(String imagesPath, String labelsPath, int classes, int limit, Configuration hadoop) {
        IdxImages images = IdxReader.readImages(imagesPath, hadoop);
        byte[] labels = IdxReader.readLabels(labelsPath, hadoop, classes);
        if (labels.length != images.count()) {
            throw new DataException(imagesPath + " holds " + images.count() + " images but " + labelsPath + " holds "
                    + labels.length + " labels; they must be a matching pair.");
        }
        int n = limit > 0 ? Math.min(limit, images.count()) : images.count();
        List<LabeledImage> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(new LabeledImage(i, labels[i] & 0xff, images.image(i)));
        }
        return new IdxDataset(imagesPath, new ImageShape(1, images.rows(), images.cols()), records);
    }

    public int size() {
        return records.size();
    }
}
