package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.workers.train.ModelState;

/**
 * Says after each epoch what validation found: the accuracy, and whether it is the best so far, or early
 * stopping ends the run, or which epoch holds the best. It reports the verdicts of {@link Validation} and
 * {@link EarlyStopping}, so it comes after both.
 */
final class ValidationReport implements TrainingListener {
    private final ConsoleReporter reporter;
    private final Validation validation;
    private final EarlyStopping earlyStopping;

    ValidationReport(ConsoleReporter reporter, Validation validation, EarlyStopping earlyStopping) {
        this.reporter = reporter;
        this.validation = validation;
        this.earlyStopping = earlyStopping;
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState state) {
        double accuracy = validation.scoreOf(epoch.epoch()).accuracy();
        reporter.say("epoch %d: validation accuracy %.4f%s", epoch.epoch(), accuracy,
                validation.improvedIn(epoch.epoch()) ? " (best so far)"
                        : earlyStopping.stopRequested()
                        ? ", no better for " + earlyStopping.patience() + " epochs: stopping early"
                        : " (best " + String.format("%.4f", validation.bestAccuracy()) + " at epoch "
                        + validation.bestEpoch() + ")");
    }
}
