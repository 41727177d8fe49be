package io.sparkcnn.jobs.source;

import io.sparkcnn.workers.Seeds;
import io.sparkcnn.workers.data.LabeledImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Holds out a share of each class for validation, chosen from the job's seed, so that the held-out set has the
 * training set's class balance and the same seed always holds out the same images. The training records are
 * renumbered 0 to n - 1 (the engine shards by id); the validation records keep no particular ids.
 */
public record ValidationSplit(List<LabeledImage> train, List<LabeledImage> validation) {

    public static ValidationSplit of(List<LabeledImage> records, double fraction, long seed) {
        return of(records, fraction, seed, "validation-split");
    }

    /** The same rule for another held-out set ({@code purpose} names it in the seed, e.g. a test split). */
    public static ValidationSplit of(List<LabeledImage> records, double fraction, long seed, String purpose) {
        if (fraction <= 0) {
            return new ValidationSplit(records, List.of());
        }
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            byClass.computeIfAbsent(records.get(i).label(), k -> new ArrayList<>()).add(i);
        }
        boolean[] held = new boolean[records.size()];
        byClass.forEach((label, members) -> {
            Collections.shuffle(members, new Random(Seeds.of(seed, purpose, label)));
            members.subList(0, (int) Math.round(members.size() * fraction)).forEach(i -> held[i] = true);
        });
        List<LabeledImage> train = new ArrayList<>();
        List<LabeledImage> validation = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            LabeledImage r = records.get(i);
            if (held[i]) {
                validation.add(r);
            } else {
                train.add(r.withId(train.size()));
            }
        }
        return new ValidationSplit(train, validation);
    }
}
