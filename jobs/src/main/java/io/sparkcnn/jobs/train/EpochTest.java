package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.checkpoint.StatefulListener;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.workers.train.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * When asked for ({@code training.evaluate-every-epoch}): scores the test set after every epoch and says it, for
 * the history's test curve and nothing else; no listener reads it, so the test set never picks the model. The last
 * epoch is skipped when its model is the one the run keeps, whose test score the run reports anyway.
 */
final class EpochTest implements StatefulListener<EpochTest.State> {
    private final ConsoleReporter reporter;
    private final int epochs;
    private final Validation validation;
    private final UnaryOperator<ModelState> evaluated;
    private final Supplier<String> weightsNote;
    private EpochEvaluator evaluator;
    private final List<EpochScores.Score> scores = new ArrayList<>();

    EpochTest(ConsoleReporter reporter, int epochs, Validation validation) {
        this(reporter, epochs, validation, UnaryOperator.identity(), () -> "");
    }

    /**
     * {@code evaluated}: the weights to score for a trained state (the EMA's, when the run averages its weights);
     * {@code weightsNote}: what the console line adds to say which they are.
     */
    EpochTest(ConsoleReporter reporter, int epochs, Validation validation, UnaryOperator<ModelState> evaluated,
              Supplier<String> weightsNote) {
        this.reporter = reporter;
        this.epochs = epochs;
        this.validation = validation;
        this.evaluated = evaluated;
        this.weightsNote = weightsNote;
    }

    /** Called once Spark is up and the test set is distributed, before the first round. */
    void attach(EpochEvaluator testSet) {
        this.evaluator = testSet;
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState state) {
        boolean keptIsLast = validation.bestState().isEmpty();
        if (epoch.epoch() >= epochs && keptIsLast) {
            return;
        }
        DistributedEvaluator.Scored scored = evaluator.score(epoch.epoch(), evaluated.apply(state));
        double accuracy = scored.evaluation().accuracy();
        scores.add(new EpochScores.Score(epoch.epoch(), accuracy, scored.meanLoss()));
        reporter.say("epoch %d: test accuracy %.4f%s", epoch.epoch(), accuracy, weightsNote.get());
    }

    EpochScores scores() {
        return new EpochScores(JobData.HeldOut.TEST, scores);
    }

    @Override
    public String name() {
        return "epoch-test";
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State state() {
        return new State(List.copyOf(scores));
    }

    @Override
    public void restore(State state) {
        scores.addAll(state.scores());
    }

    /** What a checkpoint keeps: the test score of every epoch evaluated so far. */
    record State(List<EpochScores.Score> scores) {}
}
