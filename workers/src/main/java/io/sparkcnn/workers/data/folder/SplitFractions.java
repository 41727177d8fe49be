package io.sparkcnn.workers.data.folder;

import java.io.Serializable;

/**
 * How to split a tree that has no {@code val/} (or {@code test/}) folder: the fraction of every class that
 * goes to validation and to test, chosen reproducibly from {@code seed}.
 */
public record SplitFractions(double validation, double test, long seed) implements Serializable {
    public SplitFractions {
        if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
            throw new IllegalArgumentException("validation (" + validation + ") and test (" + test
                    + ") fractions must be at least 0 and leave something to train on");
        }
    }
}
