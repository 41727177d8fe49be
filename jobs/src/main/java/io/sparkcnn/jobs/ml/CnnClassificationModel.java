package io.sparkcnn.jobs.ml;

import io.sparkcnn.jobs.inference.ModelInfo;
import io.sparkcnn.jobs.inference.SavedModel;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeBackend;
import io.sparkcnn.workers.train.NetworkSpec;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained CNN as a Spark ML {@code Model}: {@code transform} adds the predicted class index, the class
 * probabilities and log-probabilities (Vectors) and an error column, distributed (the parameters broadcast once
 * per model, the network cached per executor, minibatches per partition). Saved as Spark ML metadata plus the
 * same {@code model.zip} that {@code predict} and {@code evaluate} read.
 */
public final class CnnClassificationModel extends Model<CnnClassificationModel> implements MLWritable {
    static final String STAGE = "CnnClassificationModel";

    private final String uid;
    private final SavedModel saved;
    private final CnnTrainingSummary summary;
    private final Param<String> inputCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final Param<String> errorCol;
    private final IntParam batchSize;
    private transient Broadcast<ModelState> state;

    CnnClassificationModel(String uid, SavedModel saved, CnnTrainingSummary summary) {
        this.uid = uid;
        this.saved = saved;
        this.summary = summary;
        this.inputCol = StageParams.column(this, "inputCol", "The images: Spark's image struct or image file bytes.");
        this.predictionCol = StageParams.column(this, "predictionCol", "The predicted class index.");
        this.probabilityCol = StageParams.column(this, "probabilityCol", "The class probabilities (Vector).");
        this.rawPredictionCol = StageParams.column(this, "rawPredictionCol", "The class log-probabilities (Vector).");
        this.errorCol = StageParams.column(this, "errorCol", "Why a row could not be classified (null when it was).");
        this.batchSize = new IntParam(this, "batchSize", "Images per minibatch on the executors.",
                ParamValidators.gtEq(1));
        setDefault(inputCol, "image");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(errorCol, "error");
        setDefault(batchSize, 64);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<?>[] params() {
        return new Param<?>[] {inputCol, predictionCol, probabilityCol, rawPredictionCol, errorCol, batchSize};
    }

    /** The class names, in the order of the probability vector's entries. */
    public String[] classNames() {
        return saved.info().classNames().toArray(String[]::new);
    }

    /** What the network needs besides its weights (classes, input size, preprocessing), as model.zip stores it. */
    public ModelInfo info() {
        return saved.info();
    }

    /** The DL4J network (a MultiLayerNetwork or ComputationGraph), for use outside Spark. */
    public org.deeplearning4j.nn.api.NeuralNetwork network() {
        return saved.network();
    }

    public boolean hasSummary() {
        return summary != null;
    }

    /** The training run's metrics; a loaded model has them when the saved one did. */
    public CnnTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException(STAGE + " " + uid + ": has no training summary (it was not fitted here"
                    + " and its save folder holds no " + ModelFiles.METRICS + ").");
        }
        return summary;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public CnnClassificationModel setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public CnnClassificationModel setPredictionCol(String value) {
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

    public IntParam batchSize() {
        return batchSize;
    }

    public CnnClassificationModel setBatchSize(int value) {
        set(batchSize, (Object) value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ImageColumn.of(schema, $(inputCol), STAGE);
        return outputSchema(schema, $(predictionCol), $(probabilityCol), $(rawPredictionCol), $(errorCol), STAGE);
    }

    /** {@code schema} with the classifier's four output columns, which must not exist yet. */
    static StructType outputSchema(StructType schema, String prediction, String probability, String raw,
                                   String error, String stage) {
        ImageColumn.checkAbsent(schema, prediction, "predictionCol", stage);
        ImageColumn.checkAbsent(schema, probability, "probabilityCol", stage);
        ImageColumn.checkAbsent(schema, raw, "rawPredictionCol", stage);
        ImageColumn.checkAbsent(schema, error, "errorCol", stage);
        return schema.add(prediction, DataTypes.DoubleType, true)
                .add(probability, SQLDataTypes.VectorType(), true)
                .add(raw, SQLDataTypes.VectorType(), true)
                .add(error, DataTypes.StringType, true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        ImageColumn kind = ImageColumn.of(dataset.schema(), $(inputCol), STAGE);
        int input = dataset.schema().fieldIndex($(inputCol));
        RowScorer scorer = new RowScorer(NetworkSpec.of(saved.network()), state(dataset.sparkSession()),
                saved.info(), kind, input, (Integer) $(batchSize), null);
        JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitions(scorer::score);
        return dataset.sparkSession().createDataFrame(rows, out);
    }

    /** The parameters on the executors: broadcast at the first transform, reused by every later one. */
    private synchronized Broadcast<ModelState> state(SparkSession spark) {
        if (state == null) {
            NativeBackend.select();
            state = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ModelState.of(saved.network()));
        }
        return state;
    }

    @Override
    public CnnClassificationModel copy(ParamMap extra) {
        CnnClassificationModel copy = copyValues(new CnnClassificationModel(uid, saved, summary), extra);
        return parent() == null ? copy : copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<CnnClassificationModel> read() {
        return new Reader();
    }

    public static CnnClassificationModel load(String path) {
        return read().load(path);
    }

    /** Spark ML's metadata (class, uid, Params) in {@code metadata/}, then model.zip and metrics.json. */
    private static final class Writer extends MLWriter {
        private final CnnClassificationModel model;

        Writer(CnnClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sc(), Option.empty(), Option.empty());
            ModelFiles.write(model.saved, model.summary == null ? null : model.summary.metrics(), path,
                    sc().hadoopConfiguration());
        }
    }

    private static final class Reader extends MLReader<CnnClassificationModel> {
        @Override
        public CnnClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(),
                    CnnClassificationModel.class.getName());
            NativeBackend.select();
            SavedModel saved = ModelFiles.read(path, sc().hadoopConfiguration());
            Map<String, Object> metrics = ModelFiles.readMetrics(path, sc().hadoopConfiguration());
            CnnClassificationModel model = new CnnClassificationModel(metadata.uid(), saved,
                    metrics == null ? null : new CnnTrainingSummary(metrics, null));
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }

    static List<String> outputColumns(CnnClassificationModel m) {
        return List.of(m.$(m.predictionCol), m.$(m.probabilityCol), m.$(m.rawPredictionCol), m.$(m.errorCol));
    }
}
