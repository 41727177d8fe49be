package io.sparkcnn.workers.params;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The one "did you mean" rule for misspelt keys and choices: the known name at the smallest Levenshtein distance,
 * if it is near enough to be a typo (at most 2 edits, or a third of its length for long names).
 */
public final class DidYouMean {
    private DidYouMean() {}

    public static Optional<String> nearest(String given, Collection<String> known) {
        String g = given.toLowerCase(Locale.ROOT);
        return known.stream()
                .min(Comparator.comparingInt(k -> distance(g, k.toLowerCase(Locale.ROOT))))
                .filter(k -> distance(g, k.toLowerCase(Locale.ROOT)) <= Math.max(2, k.length() / 3));
    }

    /** Levenshtein edit distance (commons-text, which Spark brings). */
    private static int distance(String a, String b) {
        return LevenshteinDistance.getDefaultInstance().apply(a, b);
    }
}
