package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.checkpoint.Checkpoint;
import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.checkpoint.ListenerStates;
import io.sparkcnn.driver.checkpoint.StatefulListener;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.workers.train.ModelState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Scores the validation set after every epoch and keeps the best model (the lecture notes' rule: the lowest
 * validation error, not the last model), written to {@code best.bin} so that a resumed run keeps it too.
 * Early stopping, the plateau schedule and the epoch's report line read its verdict, so they come after it.
 * It scores and keeps the run's evaluated weights of each state (the EMA's, when the run averages its weights).
 */
final class Validation implements StatefulListener<Validation.State> {
    private final Path bestFile;
    private final UnaryOperator<ModelState> evaluated;
    private EpochEvaluator evaluator;
    private final List<EpochScores.Score> scores = new ArrayList<>();
    private Double bestAccuracy;
    private int bestEpoch;
    private ModelState bestState;
    private boolean improved;

    Validation(Path bestFile) {
        this(bestFile, UnaryOperator.identity());
    }

    /** {@code evaluated}: the weights to score and keep for a trained state. */
    Validation(Path bestFile, UnaryOperator<ModelState> evaluated) {
        this.bestFile = bestFile;
        this.evaluated = evaluated;
    }

    /** Called once Spark is up and the validation set is distributed, before the first round. */
    void attach(EpochEvaluator validationSet) {
        this.evaluator = validationSet;
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState trained) {
        ModelState state = evaluated.apply(trained);
        DistributedEvaluator.Scored scored = evaluator.score(epoch.epoch(), state);
        double accuracy = scored.evaluation().accuracy();
        scores.add(new EpochScores.Score(epoch.epoch(), accuracy, scored.meanLoss()));
        improved = accuracy > (bestAccuracy == null ? Double.NEGATIVE_INFINITY : bestAccuracy);
        if (improved) {
            bestAccuracy = accuracy;
            bestEpoch = epoch.epoch();
            bestState = state;
            CheckpointStore.writeFile(bestFile, new Checkpoint(new Position(epoch.epoch() + 1, 0), 1, state,
                    ListenerStates.NONE));
        }
    }

    /** The score of {@code epoch}; the listeners after this one ask for the epoch that just ended. */
    EpochScores.Score scoreOf(int epoch) {
        return scores().of(epoch).orElseThrow(() -> new IllegalStateException("epoch " + epoch + " has no"
                + " validation score: the listeners that read it must come after Validation in the run's list."));
    }

    /** Whether {@code epoch}, the epoch that just ended, scored the best so far. */
    boolean improvedIn(int epoch) {
        scoreOf(epoch);
        return improved && scores.get(scores.size() - 1).epoch() == epoch;
    }

    EpochScores scores() {
        return new EpochScores(JobData.HeldOut.VALIDATION, scores);
    }

    /** The best model so far, if any epoch was validated. */
    Optional<ModelState> bestState() {
        return Optional.ofNullable(bestState);
    }

    /** The best validation accuracy, NaN before the first validated epoch. */
    double bestAccuracy() {
        return bestAccuracy == null ? Double.NaN : bestAccuracy;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public String name() {
        return "validation";
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State state() {
        return new State(List.copyOf(scores), bestAccuracy, bestEpoch);
    }

    @Override
    public void restore(State state) {
        scores.addAll(state.scores());
        bestAccuracy = state.bestAccuracy();
        bestEpoch = state.bestEpoch();
        if (bestAccuracy != null) {
            if (!Files.isRegularFile(bestFile)) {
                throw new IllegalArgumentException("--resume: the checkpoint refers to a best model at epoch "
                        + bestEpoch + " but " + bestFile + " is missing.");
            }
            bestState = CheckpointStore.readFile(bestFile).state();
        }
    }

    /**
     * What a checkpoint keeps: every validated epoch's score, and the best accuracy (null before the first) and
     * its epoch; the best model itself is in {@code best.bin}.
     */
    record State(List<EpochScores.Score> scores, Double bestAccuracy, int bestEpoch) {}
}
