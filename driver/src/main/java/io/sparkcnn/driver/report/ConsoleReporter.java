package io.sparkcnn.driver.report;

import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.workers.train.ModelState;
import java.io.PrintStream;
import java.util.Locale;

/** The one place that prints what the user sees of a run: a line per round and one per epoch. */
public final class ConsoleReporter implements TrainingListener {
    private final PrintStream out;
    private final long started = System.nanoTime();
    private int roundsDone;

    public ConsoleReporter(PrintStream out) {
        this.out = out;
    }

    public void say(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }

    @Override
    public void onRound(RoundStats r, ModelState state, Position next) {
        roundsDone++;
        int total = r.epochs() * r.roundsInEpoch();
        double elapsed = (System.nanoTime() - started) / 1e9;
        double eta = elapsed / roundsDone * Math.max(0, total - roundsDone);
        say("epoch %d/%d  round %d/%d  loss %.4f  lr %.3g  %,.0f img/s  overhead %.0f%%  ETA %s",
                r.epoch(), r.epochs(), r.round(), r.roundsInEpoch(), r.meanLoss(), r.learningRate(), r.imagesPerSecond(),
                100 * r.overheadShare(), duration(eta));
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

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : s + "s";
    }
}
