package io.sparkcnn.driver.progress;

import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.workers.train.ModelState;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The one place that prints what the user sees of a run. On a terminal each epoch is a progress bar redrawn in
 * place (blocks of tau steps done, images/s, loss, ETA); in a log or CI, where a carriage return would only pile up, it is
 * a plain line at the start and end of each epoch, at every tenth of it and at least every 30 seconds.
 */
public final class ConsoleReporter implements TrainingListener {
    private final PrintStream out;
    private final boolean bar;
    private final RecentPace pace = new RecentPace();
    /** The blocks done at the epoch's last plain line; 0 for none yet. */
    private int lastLined;
    private long lastLineAt;
    /** The bar on screen, without its line end; empty when there is none. */
    private String shownBar = "";

    /** Plain lines, for logs and tests. */
    public ConsoleReporter(PrintStream out) {
        this(out, false);
    }

    /** {@code bar}: draw a progress bar redrawn in place with carriage returns, for a terminal. */
    public ConsoleReporter(PrintStream out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    /**
     * A reporter on standard output: {@code progress} is {@code bar}, {@code lines}, or {@code auto}, a bar
     * when standard output is a terminal (Java gives a console only then).
     */
    public static ConsoleReporter forStdout(String progress) {
        boolean bar = switch (progress) {
            case "bar" -> true;
            case "lines" -> false;
            case "auto" -> System.console() != null;
            default -> throw new IllegalArgumentException("--progress " + progress + ": use auto, bar or lines.");
        };
        return new ConsoleReporter(System.out, bar);
    }

    public void say(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        if (shownBar.isEmpty()) {
            out.println(text);
        } else {
            // Over the bar, then the bar again below the message.
            out.print("\r" + pad(text, shownBar.length()) + System.lineSeparator() + shownBar);
        }
        out.flush();
    }

    @Override
    public void onRound(RoundStats r, ModelState state, Position next) {
        long now = System.nanoTime();
        if (r.firstOfEpoch()) {
            lastLined = 0;
        }
        // Rounds are timed in blocks of tau steps, the unit the run's remaining work is counted in.
        pace.add(now, r.wallNanos(), r.blocks());
        long remainingInRun = (long) (r.epochs() - r.epoch()) * r.blocksInEpoch() + r.blocksInEpoch() - r.blocksDone();
        double runEta = pace.etaSeconds(remainingInRun);
        if (bar) {
            double epochEta = pace.etaSeconds(r.blocksInEpoch() - r.blocksDone());
            String drawn = ProgressLine.bar(r, epochEta, runEta);
            out.print("\r" + pad(drawn, shownBar.length()));
            shownBar = drawn;
            if (r.blocksDone() == r.blocksInEpoch()) {
                out.println();
                shownBar = "";
            }
            out.flush();
        } else if (ProgressLine.lineDue(r.blocksDone(), r.blocksInEpoch(), lastLined, (now - lastLineAt) / 1e9)) {
            say("%s", ProgressLine.line(r, runEta));
            lastLined = r.blocksDone();
            lastLineAt = now;
        }
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    @Override
    public void onRollback(String why, double rateScale, int rollbacks) {
        say("%s%nrolled back to the parameters before that round; it runs again at %.3g times the learning rate"
                + " (rollback %d)", why.replaceFirst("\\. Lower training.*$", ""), rateScale, rollbacks);
    }

    @Override
    public void onEpochEnd(EpochStats e, ModelState state) {
        say("epoch %d done: %,d images in %s, %,.0f img/s, mean loss %.4f, averaging overhead %.0f%%",
                e.epoch(), e.examples(), duration(e.seconds()), e.imagesPerSecond(), e.meanLoss(),
                100 * e.overheadShare());
    }

    /** {@code 45s}, {@code 3m07s}, {@code 1h02m}; NaN, a time not known yet, is {@code estimating}. */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "estimating";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : s + "s";
    }
}
