package io.sparkcnn.driver.progress;

import java.util.ArrayDeque;

/**
 * The run's pace (seconds per unit of tau steps) over its recent rounds, for the ETA. The first round a reporter
 * sees carries the warm-up (JIT, Spark's first tasks, ND4J's native set-up; ten times a later round's time is
 * common), so it counts only until a second round is timed, and the pace follows the last {@link #WINDOW}
 * rounds, so that a run that speeds up or slows down is seen to.
 */
final class RecentPace {
    /** Rounds the pace is taken over. */
    static final int WINDOW = 20;

    /** Round ends as (nanoTime, units done by then); the first entry is the earliest point of the window. */
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();
    private long units;
    private boolean warmUpDropped;

    /** A round of {@code roundUnits} units that took {@code wallNanos} and ended at {@code endNanos}. */
    void add(long endNanos, long wallNanos, int roundUnits) {
        if (marks.isEmpty()) {
            marks.add(new long[] {endNanos - wallNanos, 0});
        } else if (!warmUpDropped) {
            // The second round: from now on the window starts at the end of the first.
            marks.removeFirst();
            warmUpDropped = true;
        }
        units += roundUnits;
        marks.add(new long[] {endNanos, units});
        while (marks.size() > WINDOW + 1) {
            marks.removeFirst();
        }
    }

    /** Whether only the warm-up round has been timed, so that there is no pace to go by yet. */
    boolean warmingUp() {
        return !warmUpDropped;
    }

    /** The seconds {@code remaining} units will take at the recent pace; NaN while {@link #warmingUp()}. */
    double etaSeconds(long remaining) {
        if (warmingUp() || marks.size() < 2) {
            return Double.NaN;
        }
        long[] first = marks.peekFirst();
        long[] last = marks.peekLast();
        return ProgressLine.eta((last[0] - first[0]) / 1e9, last[1] - first[1], remaining);
    }
}
