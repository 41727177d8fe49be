package io.sparkcnn.driver.progress;

import io.sparkcnn.driver.engine.RoundStats;
import java.util.Locale;

/**
 * How a round's progress reads: a bar for a terminal, redrawn in place, and a plain line for logs, with the
 * rule that decides which rounds get a plain line. Progress counts blocks of tau steps. Pure functions of the
 * numbers, so they can be tested.
 */
final class ProgressLine {
    static final int BAR_WIDTH = 30;
    /** A plain line at least this often, whatever the epoch's progress. */
    static final double LINE_EVERY_SECONDS = 30;
    /** ... and at every tenth of an epoch. */
    static final int LINE_TENTHS_PER_EPOCH = 10;

    private ProgressLine() {}

    /** {@code epoch 3/8 [=======>      ] 12/94  1,024 img/s  loss 0.4321  ETA 1m20s (run 9m03s)}. */
    static String bar(RoundStats r, double epochEtaSeconds, double runEtaSeconds) {
        int filled = (int) ((long) BAR_WIDTH * r.blocksDone() / r.blocksInEpoch());
        StringBuilder bar = new StringBuilder(BAR_WIDTH + 2).append('[');
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled && r.blocksDone() < r.blocksInEpoch() ? '>' : ' ');
        }
        bar.append(']');
        String eta = r.blocksDone() == r.blocksInEpoch() && r.epoch() == r.epochs() ? "done"
                : r.blocksDone() == r.blocksInEpoch() ? "run ETA " + ConsoleReporter.duration(runEtaSeconds)
                : Double.isNaN(epochEtaSeconds) ? "ETA " + ConsoleReporter.duration(epochEtaSeconds)
                : "ETA " + ConsoleReporter.duration(epochEtaSeconds) + " (run " + ConsoleReporter.duration(runEtaSeconds)
                + ")";
        return String.format(Locale.ROOT, "epoch %d/%d %s %d/%d  %,.0f img/s  loss %.4f  %s", r.epoch(), r.epochs(),
                bar, r.blocksDone(), r.blocksInEpoch(), r.imagesPerSecond(), r.meanLoss(), eta);
    }

    /**
     * A self-contained line for logs: where the run is (the blocks of tau steps done in the epoch), the round's
     * numbers, and the time left. A round that covered several blocks (adaptive averaging) says how many and the
     * spread that sets the next round's.
     */
    static String line(RoundStats r, double runEtaSeconds) {
        String blocks = r.blocks() == 1 ? "" : String.format(Locale.ROOT, "  round of %d blocks, spread %.3g",
                r.blocks(), r.spread());
        return String.format(Locale.ROOT,
                "epoch %d/%d  block %d/%d (%3.0f%%)%s  loss %.4f  lr %.3g  %,.0f img/s  overhead %.0f%%  ETA %s",
                r.epoch(), r.epochs(), r.blocksDone(), r.blocksInEpoch(), 100.0 * r.blocksDone() / r.blocksInEpoch(),
                blocks,
                r.meanLoss(), r.learningRate(), r.imagesPerSecond(), 100 * r.overheadShare(),
                ConsoleReporter.duration(runEtaSeconds));
    }

    /**
     * Whether the round that brought the epoch to {@code blocksDone} of {@code blocksInEpoch} blocks gets a plain
     * line, when the last line was at {@code lastLined} blocks (0 for none yet) and {@code secondsSince} ago: the
     * epoch's first and last rounds, a round that enters the next tenth of the epoch, or any round once the last
     * line is old.
     */
    static boolean lineDue(int blocksDone, int blocksInEpoch, int lastLined, double secondsSince) {
        if (blocksDone == 1 || blocksDone == blocksInEpoch || lastLined == 0 || secondsSince >= LINE_EVERY_SECONDS) {
            return true;
        }
        return tenth(blocksDone, blocksInEpoch) > tenth(lastLined, blocksInEpoch);
    }

    private static long tenth(int blocksDone, int blocksInEpoch) {
        return (long) blocksDone * LINE_TENTHS_PER_EPOCH / blocksInEpoch;
    }

    /** The seconds left: {@code remaining} blocks at the mean pace of the {@code done} blocks timed so far. */
    static double eta(double elapsedSeconds, long done, long remaining) {
        return done == 0 ? 0 : elapsedSeconds / done * remaining;
    }
}
