package io.sparkcnn.driver.progress;

import io.sparkcnn.driver.engine.RoundStats;
import java.util.Locale;

/**
 * How a round's progress reads: a bar for a terminal, redrawn in place, and a plain line for logs, with the
 * rule that decides which rounds get a plain line. Pure functions of the numbers, so they can be tested.
 */
final class ProgressLine {
    static final int BAR_WIDTH = 30;
    /** A plain line at least this often, whatever the epoch's progress. */
    static final double LINE_EVERY_SECONDS = 30;
    /** ... and at every tenth of an epoch. */
    static final int LINE_STEPS_PER_EPOCH = 10;

    private ProgressLine() {}

    /** {@code epoch 3/8 [=======>      ] 12/94  1,024 img/s  loss 0.4321  ETA 1m20s (run 9m03s)}. */
    static String bar(RoundStats r, double epochEtaSeconds, double runEtaSeconds) {
        int filled = (int) ((long) BAR_WIDTH * r.round() / r.roundsInEpoch());
        StringBuilder bar = new StringBuilder(BAR_WIDTH + 2).append('[');
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled && r.round() < r.roundsInEpoch() ? '>' : ' ');
        }
        bar.append(']');
        String eta = r.round() == r.roundsInEpoch() && r.epoch() == r.epochs() ? "done"
                : r.round() == r.roundsInEpoch() ? "run ETA " + ConsoleReporter.duration(runEtaSeconds)
                : Double.isNaN(epochEtaSeconds) ? "ETA " + ConsoleReporter.duration(epochEtaSeconds)
                : "ETA " + ConsoleReporter.duration(epochEtaSeconds) + " (run " + ConsoleReporter.duration(runEtaSeconds)
                + ")";
        return String.format(Locale.ROOT, "epoch %d/%d %s %d/%d  %,.0f img/s  loss %.4f  %s", r.epoch(), r.epochs(),
                bar, r.round(), r.roundsInEpoch(), r.imagesPerSecond(), r.meanLoss(), eta);
    }

    /**
     * A self-contained line for logs: where the run is, the round's numbers, and the time left. Rounds count
     * units of tau steps; a round that covered several (adaptive averaging) says how many and the spread that
     * sets the next round's.
     */
    static String line(RoundStats r, double runEtaSeconds) {
        String units = r.units() == 1 ? "" : String.format(Locale.ROOT, "  %d x tau, spread %.3g", r.units(),
                r.spread());
        return String.format(Locale.ROOT,
                "epoch %d/%d  round %d/%d (%3.0f%%)%s  loss %.4f  lr %.3g  %,.0f img/s  overhead %.0f%%  ETA %s",
                r.epoch(), r.epochs(), r.round(), r.roundsInEpoch(), 100.0 * r.round() / r.roundsInEpoch(), units,
                r.meanLoss(), r.learningRate(), r.imagesPerSecond(), 100 * r.overheadShare(),
                ConsoleReporter.duration(runEtaSeconds));
    }

    /**
     * Whether round {@code round} of {@code rounds} gets a plain line, when the last line was for round
     * {@code lastLined} of this epoch (0 for none yet) and {@code secondsSince} ago: the first and last rounds,
     * a round that enters the next tenth of the epoch, or any round once the last line is old.
     */
    static boolean lineDue(int round, int rounds, int lastLined, double secondsSince) {
        if (round == 1 || round == rounds || lastLined == 0 || secondsSince >= LINE_EVERY_SECONDS) {
            return true;
        }
        return step(round, rounds) > step(lastLined, rounds);
    }

    private static long step(int round, int rounds) {
        return (long) round * LINE_STEPS_PER_EPOCH / rounds;
    }

    /** The seconds left: {@code remaining} rounds at the mean pace of the {@code done} rounds timed so far. */
    static double eta(double elapsedSeconds, long done, long remaining) {
        return done == 0 ? 0 : elapsedSeconds / done * remaining;
    }
}
