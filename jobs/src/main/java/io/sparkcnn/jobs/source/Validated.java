package io.sparkcnn.jobs.source;

import io.sparkcnn.workers.data.LabeledImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * The outcome of the validation pass over one split: the records that decode, renumbered 0..count-1 in their
 * original order, the bad files left out (each with its reason), and the scan's notices about the tree.
 */
public record Validated(JavaRDD<LabeledImage> good, long count, List<Rejected> badFiles, List<Rejected> notices) {
    public Validated {
        badFiles = List.copyOf(badFiles);
        notices = List.copyOf(notices);
    }

    /** Everything left out or worth a look, sorted by path: what a report or a manifest lists. */
    public List<Rejected> rejected() {
        List<Rejected> all = new ArrayList<>(badFiles);
        all.addAll(notices);
        all.sort(Comparator.comparing(Rejected::path));
        return all;
    }
}
