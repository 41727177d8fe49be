package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.checkpoint.StatefulListener;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.schedule.ReduceOnPlateau;
import io.sparkcnn.workers.train.ModelState;

/**
 * Feeds the reduce-on-plateau schedule each epoch's validation accuracy (from {@link Validation}, which comes
 * before it in the run's listeners) and says when the schedule lowers the rate; its state is the schedule's.
 */
final class PlateauFeed implements StatefulListener<ReduceOnPlateau.State> {
    private final Validation validation;
    private final ReduceOnPlateau plateau;
    private final int patience;
    private final ConsoleReporter reporter;

    PlateauFeed(Validation validation, ReduceOnPlateau plateau, int patience, ConsoleReporter reporter) {
        this.validation = validation;
        this.plateau = plateau;
        this.patience = patience;
        this.reporter = reporter;
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState state) {
        if (plateau.observe(validation.scoreOf(epoch.epoch()).accuracy())) {
            reporter.say("validation accuracy has not improved for %d epochs: learning rate now %.3g", patience,
                    plateau.rate(epoch.epoch() + 1, 0));
        }
    }

    @Override
    public String name() {
        return "plateau";
    }

    @Override
    public Class<ReduceOnPlateau.State> stateType() {
        return ReduceOnPlateau.State.class;
    }

    @Override
    public ReduceOnPlateau.State state() {
        return plateau.state();
    }

    @Override
    public void restore(ReduceOnPlateau.State state) {
        plateau.restore(state);
    }
}
