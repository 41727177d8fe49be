package io.sparkcnn.jobs.data;

import io.sparkcnn.workers.Seeds;
import io.sparkcnn.workers.data.LabeledImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Holds out a share of each class for validation, chosen from the job's seed, so that the held-out set has the
 * training set's class balance and the same seed always holds out the same images. The training records are
 * renumbered 0 to n - 1 (the engine shards by id); the validation records keep no particular ids.
 */
public record ValidationSplit(List<LabeledImage> train, List<LabeledImage> validation) {

    public static ValidationSplit of(List<LabeledImage> records, double fraction, long seed) {
        if (fraction <= 0) {
            return new ValidationSplit(records, List.of());
        }
        TreeMap<Integer, List<LabeledImage>> byClass = new TreeMap<>();
        for (LabeledImage r : records) {
            byClass.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
        }
        boolean[] held = new boolean[records.size()];
        int index = 0;
        Map<Long, Integer> position = new HashMap<>();
        for (LabeledImage r : records) {
            position.put(r.id(), index++);
        }
        for (var entry : byClass.entrySet()) {
            List<LabeledImage> members = entry.getValue();
            SplittableRandom random = new SplittableRandom(Seeds.of(seed, "validation-split", entry.getKey()));
            int take = (int) Math.round(members.size() * fraction);
            // A partial Fisher-Yates shuffle: the first `take` slots end up a uniform sample of the class.
            List<LabeledImage> pool = new ArrayList<>(members);
            for (int i = 0; i < take; i++) {
                int j = i + random.nextInt(pool.size() - i);
                LabeledImage t = pool.get(i);
                pool.set(i, pool.get(j));
                pool.set(j, t);
                held[position.get(pool.get(i).id())] = true;
            }
        }
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
