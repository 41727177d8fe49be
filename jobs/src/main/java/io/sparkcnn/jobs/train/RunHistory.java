package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.checkpoint.StatefulListener;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.workers.train.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's training history, as Keras' {@code History}: every epoch's totals, every round's numbers (the
 * {@link RoundLog}), and the examples and seconds trained so far, for metrics.json and the report.
 */
final class RunHistory implements StatefulListener<RunHistory.State> {
    private final List<EpochRow> epochs = new ArrayList<>();
    private final RoundLog roundLog = new RoundLog();
    private long examples;
    private double trainingSeconds;
    /** The rate of the epoch's last round, which its row reports; NaN before any round. */
    private double learningRate = Double.NaN;

    @Override
    public void onRound(RoundStats round, ModelState state, Position next) {
        examples += round.examples();
        roundLog.add(round);
        learningRate = round.learningRate();
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState state) {
        trainingSeconds += epoch.seconds();
        epochs.add(new EpochRow(epoch.epoch(), epoch.rounds(), epoch.examples(), epoch.meanLoss(),
                epoch.imagesPerSecond(), epoch.seconds(), epoch.overheadShare(), RunMetrics.finite(learningRate),
                epoch.setupSeconds()));
    }

    int epochsRun() {
        return epochs.size();
    }

    long examples() {
        return examples;
    }

    double trainingSeconds() {
        return trainingSeconds;
    }

    RoundLog.Columns rounds() {
        return roundLog.columns();
    }

    /**
     * metrics.json's {@code history}: a row per epoch, with the epoch's validation or test score where
     * {@code scores} has one.
     */
    List<Map<String, Object>> rows(EpochScores... scores) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochRow e : epochs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("rounds", e.rounds());
            row.put("examples", e.examples());
            row.put("train_loss", e.trainLoss());
            row.put("images_per_second", e.imagesPerSecond());
            row.put("seconds", e.seconds());
            row.put("setup_seconds", e.setupSeconds());
            row.put("averaging_overhead_share", e.averagingOverheadShare());
            row.put("learning_rate", e.learningRate());
            for (EpochScores s : scores) {
                s.of(e.epoch()).ifPresent(score -> {
                    row.put(s.set() + "_accuracy", score.accuracy());
                    row.put(s.set() + "_loss", RunMetrics.finite(score.loss()));
                });
            }
            rows.add(row);
        }
        return rows;
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State state() {
        return new State(List.copyOf(epochs), roundLog.columns(), examples, trainingSeconds);
    }

    @Override
    public void restore(State state) {
        epochs.addAll(state.epochs());
        roundLog.restore(state.rounds());
        examples = state.examples();
        trainingSeconds = state.trainingSeconds();
    }

    /** One epoch's totals; {@code learningRate} is null when there was none (adadelta). */
    /** An epoch's row; {@code setupSeconds} is null in the checkpoints of runs from before it was timed. */
    record EpochRow(int epoch, int rounds, long examples, double trainLoss, double imagesPerSecond, double seconds,
                    double averagingOverheadShare, Double learningRate, Double setupSeconds) {}

    /** What a checkpoint keeps of the history. */
    record State(List<EpochRow> epochs, RoundLog.Columns rounds, long examples, double trainingSeconds) {}
}
