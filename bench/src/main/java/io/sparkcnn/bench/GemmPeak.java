package io.sparkcnn.bench;

import io.sparkcnn.jobs.train.TrainJob;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.config.SourceFormat;
import io.sparkcnn.jobs.architectures.Architectures;
import io.sparkcnn.jobs.architectures.summary.ModelSummary;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkSpec;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The machine's compute ceiling for the benchmark: float32 GEMM GFLOP/s through ND4J (the same native backend
 * and thread count the training rows use), and the job's training FLOPs per image, estimated as
 * 3 x 2 x the forward multiply-adds of the model summary (one multiply-add is 2 FLOPs; the backward pass costs
 * about twice the forward: the gradients with respect to the inputs and to the weights).
 */
@Command(name = "bench-gemm", mixinStandardHelpOptions = true,
        description = "Measure float32 GEMM GFLOP/s with ND4J and the job's training FLOPs per image.")
final class GemmPeak implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG")
    File config;

    @Option(names = "--threads", required = true, description = "Native threads, as the training rows use.")
    int threads;

    @Option(names = "--seconds", defaultValue = "3", description = "Timed seconds per matrix size.")
    double seconds;

    @Option(names = "--json", required = true, paramLabel = "FILE")
    File json;

    @Override
    public Integer call() {
        JobConfig job = JobConfig.load(config, List.of());
        NativeThreads.limitTo(threads);
        List<Map<String, Object>> sizes = new ArrayList<>();
        double best = 0;
        for (int n : new int[] {512, 1024, 2048}) {
            double gflops = gflops(n, seconds);
            best = Math.max(best, gflops);
            sizes.add(Map.of("n", n, "gflops", gflops));
            System.out.printf("sgemm %dx%d, %d thread(s): %.1f GFLOP/s%n", n, n, threads, gflops);
        }
        if (job.data().format() != SourceFormat.IDX) {
            throw new IllegalArgumentException(config + ": bench-gemm counts the FLOPs of IDX (28x28 grey) jobs only;"
                    + " use 'summary' for the multiply-adds of others");
        }
        ImageShape shape = new ImageShape(1, 28, 28);
        NetworkSpec spec = Architectures.build(job, shape, job.classes());
        long macs = ModelSummary.of(MultiLayerConfiguration.fromJson(spec.json()),
                InputType.convolutional(shape.height(), shape.width(), shape.channels())).totalMultiplyAdds();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threads", threads);
        out.put("gemm_gflops", best);
        out.put("gemm_sizes", sizes);
        out.put("architecture", job.model().architecture().word());
        out.put("forward_multiply_adds_per_image", macs);
        out.put("training_flops_per_image", 6.0 * macs);
        out.put("training_flops_formula", "3 passes (forward, backward to inputs, backward to weights) x 2 FLOPs"
                + " per multiply-add x forward multiply-adds");
        TrainJob.writeJson(json.toPath(), out);
        System.out.printf("%s: %,d forward multiply-adds per image, %.3f GFLOP per trained image%n",
                job.model().architecture(), macs, 6.0 * macs / 1e9);
        return 0;
    }

    /** The best of several timed runs of C = A x B on n x n float32 matrices. */
    static double gflops(int n, double seconds) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        for (int i = 0; i < 2; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        double best = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * n * n * n / s / 1e9);
        } while (System.nanoTime() < end);
        return best;
    }
}
