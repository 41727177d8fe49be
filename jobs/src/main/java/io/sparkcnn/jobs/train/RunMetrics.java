package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.jobs.source.Rejected;
import io.sparkcnn.jobs.architectures.summary.ModelSummary;
import io.sparkcnn.jobs.report.Environment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.evaluation.classification.Evaluation;

/** What a run writes to {@code metrics.json}: results, speed, the per-epoch history and the config. */
public final class RunMetrics {
    private RunMetrics() {}

    /** JSON has no NaN: a value that could not be measured (a loss, a rate) is null. */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static Map<String, Object> of(JobConfig job, List<String> classNames, RunListeners run,
                                  DistributedEvaluator.Scored scored, JobData.HeldOut scoredOn, ModelSummary summary,
                                  List<Rejected> rejected, String master, String sparkVersion, long began) {
        Evaluation test = scored.evaluation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.name());
        m.put("kind", "train");
        m.put("status", "finished");
        m.put("architecture", job.model().architecture().word());
        scores(m, scoredOn, test, classNames.size());
        m.put(scoredOn.key("loss"), finite(scored.meanLoss()));
        // The final score's views; validation and the per-epoch test curve always score the plain view.
        m.put("tta", job.data().testTimeAugment().word());
        double best = run.validation().bestAccuracy();
        m.put("kept_model", Double.isNaN(best) ? "last" : "best-validation");
        // Which weights every score and model.zip come from: the EMA's (training.ema.decay) or the trained ones.
        m.put("evaluated_weights", run.evaluatedWeights());
        if (run.ema() != null) {
            m.put("ema_decay", run.ema().decay());
            m.put("ema_start_epoch", run.ema().startEpoch());
            m.put("ema_updates", run.ema().updates());
        }
        m.put("best_epoch", run.validation().bestEpoch());
        m.put("best_validation_accuracy", Double.isNaN(best) ? null : best);
        m.put("stopped_early", run.earlyStopping().stopRequested());
        m.put("epochs", job.training().epochs());
        m.put("epochs_run", run.history().epochsRun());
        m.put("train_images_per_second", run.history().examples() / run.history().trainingSeconds());
        m.put("training_seconds", run.history().trainingSeconds());
        m.put("wall_seconds", (System.nanoTime() - began) / 1e9);
        m.put("examples_trained", run.history().examples());
        m.put("parameters", summary.totalParameters());
        m.put("multiply_adds_per_image", summary.totalMultiplyAdds());
        m.put("history", run.historyRows());
        m.put("rounds", run.history().rounds());
        m.put("class_names", classNames);
        m.put("per_class", perClass(classNames, test));
        m.put("confusion_matrix", confusion(classNames.size(), test));
        m.put("rejected_files", rejected);
        m.put("master", master);
        m.put("spark_version", sparkVersion);
        m.put("dl4j_version", Environment.dl4jVersion());
        m.put("config", job);
        environment(m, job, summary, sparkVersion);
        return m;
    }

    /**
     * The final scores under the name of the set they come from ({@code test_accuracy}, or {@code
     * validation_accuracy} for a tree whose only held-out set is val/), and that name as {@code evaluated_on};
     * per_class and confusion_matrix are of the same set.
     */
    public static void scores(Map<String, Object> m, JobData.HeldOut set, Evaluation e, int classes) {
        m.put("evaluated_on", set.split());
        m.put(set.key("accuracy"), e.accuracy());
        m.put(set.key("images"), set.count());
        if (classes > 5) {
            m.put(set.key("top5_accuracy"), e.topNAccuracy());
        }
    }

    /** Rows actual, columns predicted. */
    public static int[][] confusion(int n, Evaluation e) {
        int[][] confusion = new int[n][n];
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                confusion[actual][predicted] = e.getConfusion().getCount(actual, predicted);
            }
        }
        return confusion;
    }

    /**
     * What a run that failed after its first checkpoint leaves for its report: the error, the history so far,
     * the configuration and the environment.
     */
    static Map<String, Object> failed(JobConfig job, RunListeners run, ModelSummary summary, String sparkVersion,
                                      RuntimeException error, long began) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.name());
        m.put("kind", "train");
        m.put("status", "failed");
        m.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        m.put("architecture", job.model().architecture().word());
        m.put("epochs", job.training().epochs());
        m.put("epochs_run", run.history().epochsRun());
        m.put("wall_seconds", (System.nanoTime() - began) / 1e9);
        m.put("examples_trained", run.history().examples());
        m.put("history", run.historyRows());
        m.put("rounds", run.history().rounds());
        environment(m, job, summary, sparkVersion);
        return m;
    }

    /** The model summary, the configuration text (without credentials), the versions and the machine. */
    public static void environment(Map<String, Object> m, JobConfig job, ModelSummary summary, String sparkVersion) {
        if (summary != null) {
            m.put("model_summary", summary.render());
        }
        m.put("config_text", Environment.withoutSecrets(job.resolved()));
        m.put("versions", Environment.versions(sparkVersion));
        m.put("machine", Environment.machine());
    }

    public static List<Map<String, Object>> perClass(List<String> names, Evaluation e) {
        return java.util.stream.IntStream.range(0, names.size()).mapToObj(c -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", names.get(c));
            row.put("precision", e.precision(c));
            row.put("recall", e.recall(c));
            row.put("f1", e.f1(c));
            row.put("support", e.getConfusion().getActualTotal(c));
            return row;
        }).toList();
    }
}
