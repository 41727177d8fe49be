package io.sparkcnn.jobs.prepare;

import io.sparkcnn.jobs.source.Rejected;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The driver's view of one split after the prepare pass: files examined, good images per class, the bad ones
 * (with their ids, so that the good can be renumbered around them) and the pixel statistics of the good ones.
 */
record SplitTally(long examined, long[] perClass, List<Long> badIds, List<Rejected> bad, ChannelStats stats)
        implements Serializable {
    /** The tally of one partition, counted in local arrays rather than one new record per image. */
    static SplitTally of(Iterator<Packed> partition, int classes, int channels) {
        long examined = 0;
        long[] perClass = new long[classes];
        List<Long> badIds = new ArrayList<>();
        List<Rejected> bad = new ArrayList<>();
        ChannelStats stats = ChannelStats.empty(channels);
        while (partition.hasNext()) {
            Packed packed = partition.next();
            examined++;
            if (packed.isGood()) {
                perClass[packed.row().label()]++;
                stats = stats.merge(packed.stats());
            } else {
                badIds.add(packed.id());
                bad.add(packed.rejected());
            }
        }
        return new SplitTally(examined, perClass, badIds, bad, stats);
    }

    SplitTally merge(SplitTally other) {
        long[] counts = perClass.clone();
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.perClass[i];
        }
        List<Long> ids = new ArrayList<>(badIds);
        ids.addAll(other.badIds);
        List<Rejected> all = new ArrayList<>(bad);
        all.addAll(other.bad);
        return new SplitTally(examined + other.examined, counts, ids, all, stats.merge(other.stats));
    }

    long good() {
        return examined - badIds.size();
    }
}
