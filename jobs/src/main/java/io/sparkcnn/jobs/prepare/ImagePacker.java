package io.sparkcnn.jobs.prepare;

import io.sparkcnn.jobs.source.ImageCheck;
import io.sparkcnn.jobs.source.Rejected;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.ClassIndex;
import io.sparkcnn.workers.image.Image;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-file work of {@code prepare}, on an executor: decode (which validates), resize so that the shorter side
 * is {@code shorterSide} (0 keeps the size), measure, and re-encode as JPEG only when the pixels changed, so
 * that an untouched image keeps its original bytes.
 */
record ImagePacker(ImageCheck check, int shorterSide, ClassIndex classes) implements Serializable {
    Packed pack(LabeledImage record) {
        List<Rejected> why = new ArrayList<>(1);
        Image image = check.decode(record, why::add);
        if (image == null) {
            return Packed.bad(record.id(), why.get(0));
        }
        Image sized = shorterSide > 0 ? resize().geometry(image) : image;
        byte[] bytes = sized == image ? record.pixels() : JpegEncoder.encode(sized);
        ShardRow row = new ShardRow(record.label(), classes.name(record.label()), record.source(), sized.width(),
                sized.height(), bytes);
        return Packed.good(record.id(), row, ChannelStats.of(sized));
    }

    private Preprocess resize() {
        return new Preprocess(shorterSide, 0, 0, 0, 0, Preprocess.Normalize.NONE, Preprocess.IMAGENET_MEAN,
                Preprocess.IMAGENET_STD);
    }
}
