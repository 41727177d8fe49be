package io.sparkcnn.jobs.inference;

import io.sparkcnn.jobs.report.Environment;
import io.sparkcnn.jobs.train.TrainJob;
import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.output.RunDirectory;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.train.RunMetrics;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.jobs.report.RunReport;
import io.sparkcnn.jobs.report.TestResultsText;
import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeBackend;
import io.sparkcnn.workers.train.NetworkSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * {@code evaluate}: a saved model on the test set of any job config (IDX, CIFAR, a folder tree, packed shards),
 * read and evaluated on Spark exactly as a training run evaluates, written to {@code metrics.json} with the
 * keys a training run uses for its test results, and rendered as {@code report.html} with its figures. The
 * config's {@code data.test-time-augment} averages the softmax outputs over views of every test image.
 */
public final class EvaluateJob {

    private final JobConfig job;
    private final Path model;
    private final Path out;
    private final String master;
    private final ConsoleReporter reporter;

    public EvaluateJob(JobConfig job, Path model, Path out, String master, ConsoleReporter reporter) {
        this.job = job;
        this.model = model;
        this.out = out;
        this.master = master;
        this.reporter = reporter;
    }

    public Map<String, Object> run() {
        NativeBackend.select();
        long began = System.nanoTime();
        SavedModel saved = SavedModel.read(model);
        JobData data = JobData.load(job);
        checkFits(saved.info(), data);
        RunDirectory dir = RunDirectory.prepare(out);
        try {
            Map<String, Object> metrics;
            try (JavaSparkContext sc = new JavaSparkContext(TrainJob.sparkConf(job, master))) {
                sc.setLogLevel("WARN");
                JobData.Splits splits = data.distribute(sc, job);
                JobData.HeldOut set = splits.finalSet();
                reporter.say("evaluating %s (%s, trained by %s) on the %s set of %s: %s; Spark %s, master %s",
                        model, saved.info().architecture(), saved.info().job(), set.split(), job.name(), data.sizes(),
                        sc.version(), sc.master());
                TrainJob.reportRejected(reporter, splits);
                sc.setJobDescription(set.split() + " evaluation of " + model);
                TestTimeAugmentation tta = job.data().testTimeAugment();
                Evaluation result = DistributedEvaluator.scored(sc, set.records(), NetworkSpec.of(saved.network()),
                        ModelState.of(saved.network()), data.evalBatches(), data.classNames(),
                        job.training().evalBatchSize(), tta).evaluation();
                reporter.say("%s accuracy %.4f on %,d images%s%n%s", set.split(), result.accuracy(), set.count(),
                        describe(tta), TestResultsText.of(result, data.classNames()));
                metrics = metrics(data.classNames(), result, set, splits, sc, began);
            }
            TrainJob.writeJson(dir.file("metrics.json"), metrics);
            RunReport.write(dir.file("metrics.json").getParent());
            dir.commit();
            reporter.say("wrote %s (metrics.json, %s and its figures)", dir.target(), RunReport.FILE);
            return metrics;
        } catch (RuntimeException e) {
            dir.abandon();
            throw e;
        }
    }

    /** What a score adds to say it averages views: nothing without test-time augmentation. */
    public static String describe(TestTimeAugmentation tta) {
        return tta == TestTimeAugmentation.NONE ? ""
                : String.format(" (test-time augmentation: %s, the softmax averaged over %d views)", tta.word(),
                        tta.views());
    }

    /** The model must take the config's input and know as many classes; a different preprocessing is worth a word. */
    private void checkFits(ModelInfo info, JobData data) {
        if (!info.shape().equals(data.shape())) {
            throw new IllegalArgumentException("--model " + model + " takes " + info.shape() + " images but "
                    + job.name() + "'s data.preprocess gives " + data.shape() + "; evaluate it with the config it was"
                    + " trained with (its run folder's job.conf).");
        }
        if (info.classNames().size() != data.classes()) {
            throw new IllegalArgumentException("--model " + model + " knows " + info.classNames().size()
                    + " classes " + info.classNames() + " but " + job.name() + "'s data has " + data.classes() + " "
                    + data.classNames() + ".");
        }
        if (!info.classNames().equals(data.classNames())) {
            reporter.say("note: the model names its classes %s, the data %s; evaluating by class index",
                    info.classNames(), data.classNames());
        }
        ModelInfo expected = ModelInfo.of(job, data);
        if (!expected.preprocess().equals(info.preprocess())) {
            reporter.say("note: the model was trained with preprocessing %s, the config gives %s; evaluating with the"
                    + " config's", info.preprocess(), expected.preprocess());
        }
    }

    /** The result keys of a training run's metrics.json, for the saved model on the set it was scored on. */
    private Map<String, Object> metrics(List<String> classNames, Evaluation test, JobData.HeldOut set,
                                        JobData.Splits splits, JavaSparkContext sc, long began) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "evaluate");
        m.put("job", job.name());
        m.put("architecture", job.model().architecture().word());
        m.put("model", model.toString());
        RunMetrics.scores(m, set, test, classNames.size());
        m.put("tta", job.data().testTimeAugment().word());
        m.put("wall_seconds", (System.nanoTime() - began) / 1e9);
        m.put("class_names", classNames);
        m.put("per_class", RunMetrics.perClass(classNames, test));
        m.put("confusion_matrix", RunMetrics.confusion(classNames.size(), test));
        m.put("rejected_files", splits.rejected());
        m.put("master", sc.master());
        m.put("spark_version", sc.version());
        m.put("dl4j_version", Environment.dl4jVersion());
        m.put("config", job);
        RunMetrics.environment(m, job, null, sc.version());
        return m;
    }
}
