package io.sparkcnn.jobs.ml;

import io.sparkcnn.driver.output.RunDirectory;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.inference.SavedModel;
import io.sparkcnn.jobs.train.TrainJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@code Estimator} that trains a CNN on a DataFrame of images and labels with this project's engine
 * (epoch shards, parameter averaging every tau steps, augmentation on the executors, checkpoints, validation and
 * early stopping: {@link TrainJob}, as {@code scripts/train} runs it) and returns a {@link CnnClassificationModel}.
 * Every job key that makes sense for a DataFrame is a Param of the same meaning, default and validation
 * ({@link JobParams} names them).
 */
public final class CnnClassifier extends Estimator<CnnClassificationModel> implements DefaultParamsWritable {
    static final String STAGE = "CnnClassifier";

    private final String uid;
    private final Map<String, Param<?>> job;
    private final Param<String> inputCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final Param<String> errorCol;
    private final Param<String> runsDir;

    public CnnClassifier() {
        this(Identifiable$.MODULE$.randomUID("cnnClassifier"));
    }

    public CnnClassifier(String uid) {
        this.uid = uid;
        this.job = StageParams.jobParams(this, STAGE);
        this.inputCol = StageParams.column(this, "inputCol", "The images: Spark's image struct"
                + " (spark.read.format(\"image\")) or the bytes of image files (binaryFile's 'content').");
        this.labelCol = StageParams.column(this, "labelCol", "Class indices 0..classes-1 (a StringIndexer's output);"
                + " its ML attribute metadata, when it has some, names the classes.");
        this.predictionCol = StageParams.column(this, "predictionCol", "The model's predicted class index.");
        this.probabilityCol = StageParams.column(this, "probabilityCol", "The model's class probabilities (Vector).");
        this.rawPredictionCol = StageParams.column(this, "rawPredictionCol", "The model's log-probabilities"
                + " (Vector).");
        this.errorCol = StageParams.column(this, "errorCol", "Why a row could not be classified (null when it was).");
        this.runsDir = StageParams.column(this, "runsDir", "A local folder under which every fit writes its run"
                + " folder NAME-TIME (model.zip, metrics.json, report.html, checkpoints/), as scripts/train writes"
                + " runs/; empty: spark-cnn-runs under java.io.tmpdir.");
        for (JobParams.Key key : JobParams.KEYS) {
            setDefaultValue(job.get(key.name()), key.sparkDefault());
        }
        setDefault(inputCol, "image");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(errorCol, "error");
        setDefault(runsDir, "");
    }

    @SuppressWarnings("unchecked")
    private void setDefaultValue(Param<?> param, Object value) {
        setDefault((Param<Object>) param, value);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<?>[] params() {
        List<Param<?>> all = new ArrayList<>(job.values());
        all.addAll(List.of(inputCol, labelCol, predictionCol, probabilityCol, rawPredictionCol, errorCol, runsDir));
        return all.toArray(Param<?>[]::new);
    }

    /** The Param of a job key, by its Param name ({@code learningRate}) or its key ({@code training.learning-rate}). */
    public Param<?> jobParam(String nameOrKey) {
        JobParams.Key key = JobParams.byName(nameOrKey.contains(".") ? JobParams.paramName(nameOrKey) : nameOrKey);
        Param<?> param = key == null || nameOrKey.contains(".") && !key.key().equals(nameOrKey) ? null
                : job.get(key.name());
        if (param == null) {
            throw new IllegalArgumentException(STAGE + ": no Param '" + nameOrKey + "'; the job Params are "
                    + job.keySet() + " (scripts/train --help-config explains their keys).");
        }
        return param;
    }

    /** Sets a job Param by name or key; the value is checked at once and the config loader's reason thrown. */
    @SuppressWarnings("unchecked")
    public CnnClassifier setJobParam(String nameOrKey, Object value) {
        Param<Object> param = (Param<Object>) jobParam(nameOrKey);
        JobParams.Key key = JobParams.byName(param.name());
        Object typed = key.hocon() && !(value instanceof String) ? JobParams.render(value)
                : key.type() == Double.class && value instanceof Number n ? n.doubleValue()
                : key.type() == Integer.class && value instanceof Long n ? Math.toIntExact(n)
                : key.type() == Long.class && value instanceof Integer n ? n.longValue() : value;
        set(param, typed);
        return this;
    }

    public Object getJobParam(String nameOrKey) {
        return $(jobParam(nameOrKey));
    }

    // The Params a Spark user sets most, typed; every other job key through jobParam/setJobParam.

    public Param<String> architecture() {
        return stringParam("architecture");
    }

    public CnnClassifier setArchitecture(String value) {
        return setJobParam("architecture", value);
    }

    public IntParam epochs() {
        return (IntParam) job.get("epochs");
    }

    public CnnClassifier setEpochs(int value) {
        return setJobParam("epochs", value);
    }

    public DoubleParam learningRate() {
        return (DoubleParam) job.get("learningRate");
    }

    public CnnClassifier setLearningRate(double value) {
        return setJobParam("learningRate", value);
    }

    public Param<String> updater() {
        return stringParam("updater");
    }

    public CnnClassifier setUpdater(String value) {
        return setJobParam("updater", value);
    }

    public LongParam seed() {
        return (LongParam) job.get("seed");
    }

    public CnnClassifier setSeed(long value) {
        return setJobParam("seed", value);
    }

    public IntParam workers() {
        return (IntParam) job.get("workers");
    }

    public CnnClassifier setWorkers(int value) {
        return setJobParam("workers", value);
    }

    public IntParam batchSizePerWorker() {
        return (IntParam) job.get("batchSizePerWorker");
    }

    public CnnClassifier setBatchSizePerWorker(int value) {
        return setJobParam("batchSizePerWorker", value);
    }

    public IntParam averagingFrequency() {
        return (IntParam) job.get("averagingFrequency");
    }

    public CnnClassifier setAveragingFrequency(int value) {
        return setJobParam("averagingFrequency", value);
    }

    public IntParam channels() {
        return (IntParam) job.get("channels");
    }

    public CnnClassifier setChannels(int value) {
        return setJobParam("channels", value);
    }

    public DoubleParam validationFraction() {
        return (DoubleParam) job.get("validationFraction");
    }

    public CnnClassifier setValidationFraction(double value) {
        return setJobParam("validationFraction", value);
    }

    public Param<String> preprocess() {
        return stringParam("preprocess");
    }

    /** HOCON text, as in a job file: {@code "{height = 28, width = 28}"}. */
    public CnnClassifier setPreprocess(String hocon) {
        return setJobParam("preprocess", hocon);
    }

    public Param<String> augment() {
        return stringParam("augment");
    }

    /** HOCON text, as in a job file: {@code "[{type = translate, max-x = 2, max-y = 2}]"}. */
    public CnnClassifier setAugment(String hocon) {
        return setJobParam("augment", hocon);
    }

    public BooleanParam evaluateEveryEpoch() {
        return (BooleanParam) job.get("evaluateEveryEpoch");
    }

    public CnnClassifier setEvaluateEveryEpoch(boolean value) {
        return setJobParam("evaluateEveryEpoch", value);
    }

    public Param<String> classNames() {
        return stringParam("classNames");
    }

    /** The class names in label order, for a label column without a StringIndexer's metadata. */
    public CnnClassifier setClassNames(String[] names) {
        return setJobParam("classNames", Arrays.asList(names));
    }

    @SuppressWarnings("unchecked")
    private Param<String> stringParam(String name) {
        return (Param<String>) job.get(name);
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public CnnClassifier setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public CnnClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public CnnClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public Param<String> runsDir() {
        return runsDir;
    }

    public CnnClassifier setRunsDir(String value) {
        set(runsDir, value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ImageColumn.of(schema, $(inputCol), STAGE);
        ImageColumn.checkLabel(schema, $(labelCol), STAGE);
        return CnnClassificationModel.outputSchema(schema, $(predictionCol), $(probabilityCol), $(rawPredictionCol),
                $(errorCol), STAGE);
    }

    /**
     * The job these Params describe, as the config loader checks it: an invalid value or combination fails here,
     * before any Spark job, naming the Params.
     */
    JobConfig jobConfig() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (JobParams.Key key : JobParams.KEYS) {
            values.put(key.key(), $(job.get(key.name())));
        }
        try {
            return JobParams.load(values);
        } catch (ConfigError | IllegalArgumentException e) {
            throw new IllegalArgumentException(STAGE + ": " + withParamNames(e.getMessage()), e);
        }
    }

    /** A message about job keys, with each key's Param name beside it. */
    static String withParamNames(String message) {
        String named = message;
        for (JobParams.Key key : JobParams.KEYS) {
            named = named.replace(key.key() + ":", key.key() + " (Param " + key.name() + "):");
        }
        return named.replaceFirst("^\\S*spark-cnn-ml\\S*\\.conf: ", "");
    }

    @Override
    public CnnClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        JobConfig config = jobConfig();
        List<String> names = classNames(dataset.schema(), config);
        @SuppressWarnings("unchecked")
        Dataset<Row> rows = (Dataset<Row>) dataset.toDF();
        DataFrameRecords.Prepared prepared;
        try {
            prepared = DataFrameRecords.prepare(rows, $(inputCol), $(labelCol), config, names);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(withParamNames(e.getMessage()), e);
        }
        Path parent = $(runsDir).isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "spark-cnn-runs")
                : Path.of($(runsDir));
        Path out = RunDirectory.timestamped(parent, config.name());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Map<String, Object> metrics;
        try {
            metrics = new TrainJob(config, out, null, ConsoleReporter.forStdout("lines"))
                    .onRecords(sc, prepared.data(), context -> prepared.splits())
                    .run();
        } finally {
            prepared.unpersist();
        }
        SavedModel saved = SavedModel.read(out.resolve("model.zip"));
        CnnClassificationModel model = new CnnClassificationModel(uid, saved,
                new CnnTrainingSummary(metrics, out.toString()));
        copyValues(model, ParamMap.empty());
        model.setParent(this);
        return model;
    }

    /** The class names: the label column's (a StringIndexer's metadata), else Param classNames. */
    private List<String> classNames(StructType schema, JobConfig config) {
        Attribute attribute = Attribute.fromStructField(schema.apply($(labelCol)));
        if (attribute instanceof NominalAttribute nominal && nominal.values().isDefined()) {
            return Arrays.asList(nominal.values().get());
        }
        if (config.classNames() != null && !config.classNames().isEmpty()) {
            return config.classNames();
        }
        throw new IllegalArgumentException(STAGE + ": label column '" + $(labelCol) + "' does not name its classes"
                + " (no ML attribute metadata): index the labels with a StringIndexer, which names them, or"
                + " setClassNames(...) in label order.");
    }

    @Override
    public CnnClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<CnnClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static CnnClassifier load(String path) {
        return read().load(path);
    }
}
