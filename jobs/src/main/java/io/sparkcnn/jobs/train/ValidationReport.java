package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.workers.train.ModelState;
import java.util.function.Supplier;

/**
 * Says after each epoch what validation found: the accuracy, and whether it is the best so far, or early
 * stopping ends the run, or which epoch holds the best. It reports the verdicts of {@link Validation} and
 * {@link EarlyStopping}, so it comes after both.
 */
final class ValidationReport implements TrainingListener {
    private final ConsoleReporter reporter;
    private final Validation validation;
    private final EarlyStopping earlyStopping;
    private final Supplier<String> weightsNote;

    /** {@code weightsNote}: what the line adds to say which weights were scored (the EMA's), or nothing. */
    ValidationReport(ConsoleReporter reporter, Validation validation, EarlyStopping earlyStopping,
                     Supplier<String> weightsNote) {
        this.reporter = reporter;
        this.validation = validation;
        this.earlyStopping = earlyStopping;
        this.weightsNote = weightsNote;
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState state) {
        double accuracy = validation.scoreOf(epoch.epoch()).accuracy();
        reporter.say("epoch %d: validation accuracy %.4f%s%s", epoch.epoch(), accuracy, weightsNote.get(),
                validation.improvedIn(epoch.epoch()) ? " (best so far)"
                        : earlyStopping.stopRequested()
                        ? ", no better for " + earlyStopping.patience() + " epochs: stopping early"
                        : " (best " + String.format("%.4f", validation.bestAccuracy()) + " at epoch "
                        + validation.bestEpoch() + ")");
    }
}
