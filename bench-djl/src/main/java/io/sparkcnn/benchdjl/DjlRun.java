package io.sparkcnn.benchdjl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import com.google.gson.GsonBuilder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * What the DJL/PyTorch rows share: their command line, the Fashion-MNIST IDX files read into memory (resized as
 * the DL4J rows' {@code data.preprocess} does), the training loop with the race of the SPARK_CNN_BENCH_*
 * environment, and the {@code metrics.json} keys that bench-report reads. Reads the IDX files itself rather than
 * through the workers module, to keep ND4J off this JVM's classpath and out of its native threads.
 */
final class DjlRun {
    static final int CLASSES = 10;
    private static final int EVAL_BATCH = 256;

    private DjlRun() {}

    /** The command line: {@code DATA_DIR OUT_DIR THREADS BATCH EPOCHS SEED [TRAIN_LIMIT]} (0 or none: all). */
    record Settings(Path data, Path out, int threads, int batch, int epochs, long seed, int trainLimit) {
        static Settings parse(String program, String[] args) {
            if (args.length != 6 && args.length != 7) {
                System.err.println("usage: " + program + " DATA_DIR OUT_DIR THREADS BATCH EPOCHS SEED [TRAIN_LIMIT]");
                System.exit(2);
            }
            return new Settings(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    args.length == 7 ? Integer.parseInt(args[6]) : 0);
        }
    }

    /** Grey images in NCHW order, scaled to [0, 1], and their labels. */
    record Images(float[] pixels, int[] labels, int height, int width) {
        int size() {
            return labels.length;
        }

        int imagePixels() {
            return height * width;
        }

        /** Images {@code from} to {@code from + n} in the given order, as one NCHW array. */
        NDArray batch(NDManager manager, int[] order, int from, int n) {
            int p = imagePixels();
            float[] x = new float[n * p];
            for (int i = 0; i < n; i++) {
                System.arraycopy(pixels, order[from + i] * p, x, i * p, p);
            }
            return manager.create(x, new Shape(n, 1, height, width));
        }

        /**
         * The first {@code limit} images (0: all) of a Fashion-MNIST split ("train" or "t10k"), each resized to
         * height x width bilinearly on its 0..255 values before the scaling, as the DL4J rows' preprocessing does.
         */
        static Images read(Path dir, String split, int limit, int height, int width) throws IOException {
            int[] labels = readLabels(dir.resolve(split + "-labels-idx1-ubyte.gz"));
            Path file = dir.resolve(split + "-images-idx3-ubyte.gz");
            try (DataInputStream d = idx(file, 2051)) {
                int count = d.readInt();
                int rows = d.readInt();
                int cols = d.readInt();
                int n = limit > 0 ? Math.min(limit, count) : count;
                if (count != labels.length) {
                    throw new IOException(file + " holds " + count + " images but its labels file " + labels.length);
                }
                byte[] raw = d.readNBytes(n * rows * cols);
                float[] source = new float[rows * cols];
                float[] pixels = new float[n * height * width];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < source.length; j++) {
                        source[j] = raw[i * source.length + j] & 0xff;
                    }
                    resize(source, rows, cols, pixels, i * height * width, height, width);
                }
                for (int j = 0; j < pixels.length; j++) {
                    pixels[j] /= 255f;
                }
                return new Images(pixels, Arrays.copyOf(labels, n), height, width);
            }
        }
    }

    /**
     * Trains {@code block} (named {@code job} in the metrics) for the settings' epochs, or until the race's target
     * or time limit, scores it on {@code test} and writes {@code metrics.json}; {@code multiplyAdds}: the forward
     * multiply-adds per image, counted as the DL4J rows' model summary counts them, or 0 where not counted.
     */
    static void train(String job, Block block, TrainingConfig config, Settings s, Images train, Images test,
                      long multiplyAdds) throws IOException {
        double target = envDouble("SPARK_CNN_BENCH_TARGET", 0);
        double timeLimit = envDouble("SPARK_CNN_BENCH_TIME_LIMIT", 600);
        long evalEvery = (long) envDouble("SPARK_CNN_BENCH_EVAL_EVERY", 30000);
        long began = System.nanoTime();
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) s.seed());
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> curve = new ArrayList<>();
        try (Model model = Model.newInstance(job, "PyTorch")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(s.batch(), 1, train.height(), train.width()));
                long parameters = 0;
                long trainable = 0;
                for (Parameter p : block.getParameters().values()) {
                    parameters += p.getArray().size();
                    trainable += p.requiresGradient() ? p.getArray().size() : 0;
                }
                System.out.printf("%s: %,d parameters (%,d trained, the rest batch norm's running statistics)%n",
                        job, parameters, trainable);
                NDManager manager = trainer.getManager();
                int n = train.size();
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Random random = new Random(s.seed());
                double trainSeconds = 0;
                long examples = 0;
                long lastEval = 0;
                Double reached = null;
                Long reachedExamples = null;
                boolean stop = false;
                float[] y = new float[s.batch()];
                for (int epoch = 1; epoch <= s.epochs() && !stop; epoch++) {
                    shuffle(order, random);
                    long t0 = System.nanoTime();
                    for (int from = 0; from < n && !stop; from += s.batch()) {
                        int b = Math.min(s.batch(), n - from);
                        for (int i = 0; i < b; i++) {
                            y[i] = train.labels()[order[from + i]];
                        }
                        try (NDManager step = manager.newSubManager()) {
                            NDArray features = train.batch(step, order, from, b);
                            NDArray labels = step.create(Arrays.copyOf(y, b), new Shape(b));
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
                            double accuracy = accuracy(trainer, test);
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
                double accuracy = accuracy(trainer, test);
                double inferenceSeconds = (System.nanoTime() - t0) / 1e9;
                m.put("job", job);
                m.put("engine", "djl-pytorch");
                m.put("master", "DJL " + Engine.getDjlVersion() + " + PyTorch " + engine.getVersion() + ", "
                        + s.threads() + " threads");
                m.put("test_accuracy", accuracy);
                m.put("epochs", s.epochs());
                m.put("train_images_per_second", examples / trainSeconds);
                m.put("inference_images_per_second", test.size() / inferenceSeconds);
                m.put("training_seconds", trainSeconds);
                m.put("wall_seconds", (System.nanoTime() - began) / 1e9);
                m.put("examples_trained", examples);
                m.put("parameters", parameters);
                if (multiplyAdds > 0) {
                    m.put("multiply_adds_per_image", multiplyAdds);
                }
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
                        accuracy, examples / trainSeconds, test.size() / inferenceSeconds);
            }
        }
        Files.createDirectories(s.out());
        Files.writeString(s.out().resolve("metrics.json"),
                new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(m));
    }

    private static double accuracy(Trainer trainer, Images test) {
        long correct = 0;
        int[] order = new int[test.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        NDManager manager = trainer.getManager();
        for (int from = 0; from < test.size(); from += EVAL_BATCH) {
            int b = Math.min(EVAL_BATCH, test.size() - from);
            try (NDManager step = manager.newSubManager()) {
                NDArray out = trainer.evaluate(new NDList(test.batch(step, order, from, b))).singletonOrThrow();
                long[] predicted = out.argMax(1).toLongArray();
                for (int i = 0; i < b; i++) {
                    if (predicted[i] == test.labels()[from + i]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / test.size();
    }

    /**
     * OpenCV's bilinear resize ({@code INTER_LINEAR}, which the DL4J rows' preprocessing uses to enlarge): output
     * pixel x samples the source at (x + 0.5) * in / out - 0.5, clamped to the edge pixels.
     */
    static void resize(float[] in, int inH, int inW, float[] out, int offset, int outH, int outW) {
        Taps rows = Taps.of(inH, outH);
        Taps cols = Taps.of(inW, outW);
        for (int y = 0; y < outH; y++) {
            int y0 = rows.low[y];
            int y1 = rows.high[y];
            float dy = rows.weight[y];
            for (int x = 0; x < outW; x++) {
                int x0 = cols.low[x];
                int x1 = cols.high[x];
                float dx = cols.weight[x];
                float top = in[y0 * inW + x0] * (1 - dx) + in[y0 * inW + x1] * dx;
                float bottom = in[y1 * inW + x0] * (1 - dx) + in[y1 * inW + x1] * dx;
                out[offset + y * outW + x] = top * (1 - dy) + bottom * dy;
            }
        }
    }

    /** For each output index along one axis: the two source indices it blends and the second one's weight. */
    private record Taps(int[] low, int[] high, float[] weight) {
        static Taps of(int in, int out) {
            Taps t = new Taps(new int[out], new int[out], new float[out]);
            for (int i = 0; i < out; i++) {
                float f = (i + 0.5f) * in / out - 0.5f;
                int lo = (int) Math.floor(f);
                float w = f - lo;
                if (lo < 0) {
                    lo = 0;
                    w = 0;
                }
                if (lo >= in - 1) {
                    lo = in - 1;
                    w = 0;
                }
                t.low[i] = lo;
                t.high[i] = Math.min(lo + 1, in - 1);
                t.weight[i] = w;
            }
            return t;
        }
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

    private static int[] readLabels(Path file) throws IOException {
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
