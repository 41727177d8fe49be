package io.sparkcnn.benchdjl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.GsonBuilder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The benchmark's DJL/PyTorch row: LeNet-5 in the Caffe form of the DL4J rows (conv 5x5x20, max pool 2, conv
 * 5x5x50, max pool 2, FC 500 ReLU, FC 10; valid convolutions, Xavier init, Adam 0.001), the same Fashion-MNIST
 * files scaled to [0, 1], the same batch size and native threads, and the same race to a test accuracy; it
 * writes the {@code metrics.json} keys that bench-report reads.
 *
 * <p>Usage: {@code DjlLeNet5 DATA_DIR OUT_DIR THREADS BATCH EPOCHS SEED}; the race comes from the same
 * SPARK_CNN_BENCH_* environment as the other rows. Reads the IDX files itself (a dozen lines) rather than
 * through the workers module, to keep ND4J off this JVM's classpath and out of its native threads.
 */
public final class DjlLeNet5 {
    private static final int CLASSES = 10;
    private static final int PIXELS = 28 * 28;

    private DjlLeNet5() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: DjlLeNet5 DATA_DIR OUT_DIR THREADS BATCH EPOCHS SEED");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int epochs = Integer.parseInt(args[4]);
        long seed = Long.parseLong(args[5]);
        double target = envDouble("SPARK_CNN_BENCH_TARGET", 0);
        double timeLimit = envDouble("SPARK_CNN_BENCH_TIME_LIMIT", 600);
        long evalEvery = (long) envDouble("SPARK_CNN_BENCH_EVAL_EVERY", 30000);
        long began = System.nanoTime();

        float[] trainX = images(data.resolve("train-images-idx3-ubyte.gz"));
        int[] trainY = labels(data.resolve("train-labels-idx1-ubyte.gz"));
        float[] testX = images(data.resolve("t10k-images-idx3-ubyte.gz"));
        int[] testY = labels(data.resolve("t10k-labels-idx1-ubyte.gz"));

        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> curve = new ArrayList<>();
        try (Model model = Model.newInstance("lenet5", "PyTorch")) {
            model.setBlock(lenet5());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build())
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 1, 28, 28));
                NDManager manager = trainer.getManager();
                int n = trainY.length;
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Random random = new Random(seed);
                double trainSeconds = 0;
                long examples = 0;
                long lastEval = 0;
                Double reached = null;
                Long reachedExamples = null;
                boolean stop = false;
                float[] x = new float[batch * PIXELS];
                float[] y = new float[batch];
                for (int epoch = 1; epoch <= epochs && !stop; epoch++) {
                    shuffle(order, random);
                    long t0 = System.nanoTime();
                    for (int from = 0; from < n && !stop; from += batch) {
                        int b = Math.min(batch, n - from);
                        for (int i = 0; i < b; i++) {
                            System.arraycopy(trainX, order[from + i] * PIXELS, x, i * PIXELS, PIXELS);
                            y[i] = trainY[order[from + i]];
                        }
                        try (NDManager step = manager.newSubManager()) {
                            NDArray features = step.create(b == batch ? x : java.util.Arrays.copyOf(x, b * PIXELS),
                                    new Shape(b, 1, 28, 28));
                            NDArray labels = step.create(java.util.Arrays.copyOf(y, b), new Shape(b));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList predictions = trainer.forward(new NDList(features));
                                NDArray loss = trainer.getLoss().evaluate(new NDList(labels), predictions);
                                gc.backward(loss);
                            }
                            trainer.step();
                        }
                        examples += b;
                        double elapsed = trainSeconds + (System.nanoTime() - t0) / 1e9;
                        boolean outOfTime = target > 0 && elapsed >= timeLimit;
                        if (target > 0 && (examples - lastEval >= evalEvery || outOfTime)) {
                            trainSeconds = elapsed;
                            double accuracy = accuracy(trainer, testX, testY, 256);
                            System.out.printf("race: test accuracy %.4f after %.1f s of training (%,d images)%n",
                                    accuracy, trainSeconds, examples);
                            curve.add(Map.of("training_seconds", trainSeconds, "examples", examples,
                                    "test_accuracy", accuracy));
                            lastEval = examples;
                            if (accuracy >= target) {
                                reached = trainSeconds;
                                reachedExamples = examples;
                            }
                            stop = reached != null || outOfTime;
                            t0 = System.nanoTime();
                        }
                    }
                    trainSeconds += (System.nanoTime() - t0) / 1e9;
                    System.out.printf("djl epoch %d: %,.0f img/s%n", epoch, examples / trainSeconds);
                }
                long t0 = System.nanoTime();
                double accuracy = accuracy(trainer, testX, testY, 256);
                double inferenceSeconds = (System.nanoTime() - t0) / 1e9;
                m.put("job", "lenet5-fashion");
                m.put("engine", "djl-pytorch");
                m.put("master", "DJL " + Engine.getDjlVersion() + " + PyTorch " + engine.getVersion() + ", "
                        + threads + " threads");
                m.put("test_accuracy", accuracy);
                m.put("epochs", epochs);
                m.put("train_images_per_second", examples / trainSeconds);
                m.put("inference_images_per_second", testY.length / inferenceSeconds);
                m.put("training_seconds", trainSeconds);
                m.put("wall_seconds", (System.nanoTime() - began) / 1e9);
                m.put("examples_trained", examples);
                if (target > 0) {
                    m.put("target_accuracy", target);
                    m.put("time_limit_seconds", timeLimit);
                    m.put("eval_every_images", evalEvery);
                    m.put("seconds_to_target", reached);
                    m.put("examples_to_target", reachedExamples);
                    m.put("not_reached_in_seconds", reached == null ? trainSeconds : null);
                    m.put("accuracy_curve", curve);
                }
                System.out.printf("djl-pytorch: test accuracy %.4f, %,.0f train img/s, %,.0f inference img/s%n",
                        accuracy, examples / trainSeconds, testY.length / inferenceSeconds);
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("metrics.json"),
                new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(m));
    }

    static SequentialBlock lenet5() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(20).build())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(50).build())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(500).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    private static double accuracy(Trainer trainer, float[] x, int[] y, int batch) {
        long correct = 0;
        NDManager manager = trainer.getManager();
        for (int from = 0; from < y.length; from += batch) {
            int b = Math.min(batch, y.length - from);
            try (NDManager step = manager.newSubManager()) {
                float[] part = java.util.Arrays.copyOfRange(x, from * PIXELS, (from + b) * PIXELS);
                NDArray out = trainer.evaluate(new NDList(step.create(part, new Shape(b, 1, 28, 28)))).singletonOrThrow();
                long[] predicted = out.argMax(1).toLongArray();
                for (int i = 0; i < b; i++) {
                    if (predicted[i] == y[from + i]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / y.length;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double envDouble(String name, double fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Double.parseDouble(v);
    }

    private static DataInputStream idx(Path file, int magic) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream d = new DataInputStream(in);
        int found = d.readInt();
        if (found != magic) {
            throw new IOException(file + ": IDX magic " + found + ", expected " + magic);
        }
        return d;
    }

    private static float[] images(Path file) throws IOException {
        try (DataInputStream d = idx(file, 2051)) {
            int n = d.readInt();
            int rows = d.readInt();
            int cols = d.readInt();
            byte[] raw = d.readNBytes(n * rows * cols);
            float[] x = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                x[i] = (raw[i] & 0xff) / 255f;
            }
            return x;
        }
    }

    private static int[] labels(Path file) throws IOException {
        try (DataInputStream d = idx(file, 2049)) {
            int n = d.readInt();
            byte[] raw = d.readNBytes(n);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = raw[i];
            }
            return y;
        }
    }
}
