package io.sparkcnn.jobs.source;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.image.BadImageException;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.image.ImageDecoder;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * The check every encoded record gets on an executor before it may be trained on: it must decode to
 * {@code channels} channels and, when {@code minSide} is above 0, be at least that tall and wide (the crop).
 */
public record ImageCheck(int channels, int minSide) implements Serializable {
    public ImageCheck {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), not " + channels);
        }
        if (minSide < 0) {
            throw new IllegalArgumentException("the minimum image side must be at least 0, not " + minSide);
        }
    }

    /** The decoded image, or null after handing the reason to {@code rejects}. */
    public Image decode(LabeledImage record, Consumer<Rejected> rejects) {
        Image image;
        try {
            image = ImageDecoder.decode(record.pixels(), record.describe(), channels);
        } catch (DataException e) {
            rejects.accept(BadImageException.in(e).map(Rejected::of)
                    .orElse(new Rejected(record.describe(), "unreadable", e.getMessage())));
            return null;
        }
        if (image.height() < minSide || image.width() < minSide) {
            rejects.accept(new Rejected(record.describe(), Rejected.SMALLER_THAN_CROP, record.describe() + ": "
                    + image.width() + "x" + image.height() + " is smaller than the " + minSide + "x" + minSide
                    + " crop; remove it or lower the crop"));
            return null;
        }
        return image;
    }
}
