package io.sparkcnn.jobs.ml;

import io.sparkcnn.jobs.inference.SavedModel;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeBackend;
import io.sparkcnn.workers.train.NetworkSpec;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A Spark ML {@code Transformer} that turns images into a saved model's activations at one layer (by default
 * the one before the output layer), as a Vector column, so that MLlib's own classifiers can learn on what a CNN
 * learned elsewhere (transfer learning). The model is a {@code model.zip} or a saved
 * {@link CnnClassificationModel}, on any Hadoop path; it is read once, on the driver, at the first transform.
 */
public final class CnnFeaturizer extends Transformer implements DefaultParamsWritable {
    static final String STAGE = "CnnFeaturizer";

    private final String uid;
    private final Param<String> modelPath;
    private final Param<String> layer;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;
    private final IntParam batchSize;
    private transient SavedModel model;
    private transient String modelRead;
    private transient Broadcast<io.sparkcnn.workers.train.ModelState> state;

    public CnnFeaturizer() {
        this(Identifiable$.MODULE$.randomUID("cnnFeaturizer"));
    }

    public CnnFeaturizer(String uid) {
        this.uid = uid;
        this.modelPath = StageParams.column(this, "modelPath", "The model: a model.zip of a training run, or a"
                + " folder CnnClassificationModel.save wrote (any Hadoop path).");
        this.layer = StageParams.column(this, "layer", "The layer whose activations are the features: its index"
                + " (a layer stack) or vertex name (a graph, such as ResNet); empty: the layer before the output.");
        this.inputCol = StageParams.column(this, "inputCol", "The images: Spark's image struct or image file bytes.");
        this.outputCol = StageParams.column(this, "outputCol", "The features (Vector).");
        this.errorCol = StageParams.column(this, "errorCol", "Why a row has no features (null when it has).");
        this.batchSize = new IntParam(this, "batchSize", "Images per minibatch on the executors.",
                ParamValidators.gtEq(1));
        setDefault(modelPath, "");
        setDefault(layer, "");
        setDefault(inputCol, "image");
        setDefault(outputCol, "features");
        setDefault(errorCol, "error");
        setDefault(batchSize, 64);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<?>[] params() {
        return new Param<?>[] {modelPath, layer, inputCol, outputCol, errorCol, batchSize};
    }

    public CnnFeaturizer setModelPath(String value) {
        set(modelPath, value);
        return this;
    }

    public CnnFeaturizer setLayer(String value) {
        set(layer, value);
        return this;
    }

    public CnnFeaturizer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public CnnFeaturizer setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    public CnnFeaturizer setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    public CnnFeaturizer setBatchSize(int value) {
        set(batchSize, (Object) value);
        return this;
    }

    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> layer() {
        return layer;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if ($(modelPath).isEmpty()) {
            throw new IllegalArgumentException(STAGE + ": Param modelPath is not set; setModelPath to a model.zip or"
                    + " to a folder CnnClassificationModel.save wrote.");
        }
        ImageColumn.of(schema, $(inputCol), STAGE);
        ImageColumn.checkAbsent(schema, $(outputCol), "outputCol", STAGE);
        ImageColumn.checkAbsent(schema, $(errorCol), "errorCol", STAGE);
        return schema.add($(outputCol), SQLDataTypes.VectorType(), true).add($(errorCol), DataTypes.StringType, true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        SavedModel saved = model(dataset.sparkSession().sparkContext().hadoopConfiguration());
        String at = resolveLayer(saved.network(), $(layer));
        ImageColumn kind = ImageColumn.of(dataset.schema(), $(inputCol), STAGE);
        RowScorer scorer = new RowScorer(NetworkSpec.of(saved.network()), state, saved.info(), kind,
                dataset.schema().fieldIndex($(inputCol)), (Integer) $(batchSize), at);
        JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitions(scorer::score);
        return dataset.sparkSession().createDataFrame(rows, out);
    }

    /** The model and its broadcast parameters, read once per model path. */
    private synchronized SavedModel model(org.apache.hadoop.conf.Configuration hadoop) {
        if (model == null || !$(modelPath).equals(modelRead)) {
            NativeBackend.select();
            model = ModelFiles.read($(modelPath), hadoop);
            modelRead = $(modelPath);
            state = JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext.getOrCreate())
                    .broadcast(ModelState.of(model.network()));
        }
        return model;
    }

    /** The layer's index (a layer stack) or vertex name (a graph); empty means the one before the output. */
    static String resolveLayer(NeuralNetwork net, String layer) {
        if (net instanceof MultiLayerNetwork stack) {
            int count = stack.getnLayers();
            if (layer.isEmpty()) {
                return Integer.toString(count - 2);
            }
            try {
                int index = Integer.parseInt(layer);
                if (index >= 0 && index < count) {
                    return layer;
                }
            } catch (NumberFormatException ignored) {
                // Named below, with the valid range.
            }
            throw new IllegalArgumentException(STAGE + ": Param layer '" + layer + "' is not a layer of this network;"
                    + " give an index from 0 to " + (count - 1) + " (scripts/train summary lists them).");
        }
        ComputationGraph graph = (ComputationGraph) net;
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (layer.isEmpty()) {
            return conf.getVertexInputs().get(conf.getNetworkOutputs().get(0)).get(0);
        }
        if (!conf.getVertices().containsKey(layer)) {
            throw new IllegalArgumentException(STAGE + ": Param layer '" + layer + "' is not a vertex of this graph;"
                    + " its vertices are " + List.copyOf(conf.getVertices().keySet()) + ".");
        }
        return layer;
    }

    @Override
    public CnnFeaturizer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<CnnFeaturizer> read() {
        return new DefaultParamsReader<>();
    }

    public static CnnFeaturizer load(String path) {
        return read().load(path);
    }
}
