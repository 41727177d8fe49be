package io.sparkcnn.jobs.train;

import java.util.List;
import java.util.Optional;

/** The scores one evaluation set ({@code set}: "validation" or "test") got after each epoch it was evaluated. */
record EpochScores(String set, List<Score> scores) {
    EpochScores {
        scores = List.copyOf(scores);
    }

    Optional<Score> of(int epoch) {
        return scores.stream().filter(s -> s.epoch() == epoch).findFirst();
    }

    /** The accuracy and mean loss of the state after {@code epoch}. */
    record Score(int epoch, double accuracy, double loss) {}
}
