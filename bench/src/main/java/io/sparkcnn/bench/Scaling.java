package io.sparkcnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.bench.ScalingModel.Exchange;
import java.io.File;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scaling}: the throughput-versus-executors tables of docs/scaling.md, from {@link ScalingModel} fed with a
 * bench run's measurements (per-worker images/s and the per-round cost outside the training step, from the
 * 1- and 2-worker cluster rows; the GEMM ceiling) and a stated network bandwidth.
 */
@Command(name = "scaling", mixinStandardHelpOptions = true,
        description = "Model throughput against the number of executors for LeNet-5 and ResNet-50.")
final class Scaling implements Callable<Integer> {
    /** ResNet-50 on 224x224x3: 25.6 M parameters, 4.1 G forward multiply-adds (He et al. 2016). */
    static final double RESNET50_PARAMETERS = 25.6e6;
    static final double RESNET50_MACS = 4.1e9;
    static final double LENET5_PARAMETERS = 431_080;

    @Option(names = "--bench", paramLabel = "FILE", description = "A scripts/bench bench.json to take the"
            + " measured rates from.")
    File bench;

    @Option(names = "--bandwidth-gbps", defaultValue = "10", description = "Each node's network link, Gb/s.")
    double gbps;

    @Option(names = "--cores-per-executor", defaultValue = "16", description = "For ResNet-50: an executor's cores.")
    int cores;

    @Option(names = "--resnet-peak-share", defaultValue = "0.3", description = "For ResNet-50: the share of the"
            + " per-core GEMM peak its training reaches (its large convolutions use the GEMM far better than"
            + " LeNet-5's small ones).")
    double resnetPeakShare;

    @Option(names = "--resnet-images-per-second", defaultValue = "0", description = "For ResNet-50: one"
            + " executor's images/s, instead of the estimate from the GEMM peak (e.g. a GPU's).")
    double resnetRateOverride;

    @Option(names = "--lenet-images-per-second", defaultValue = "450", description = "LeNet-5 images/s of one"
            + " 1-core worker (overridden by --bench's 1-worker cluster row).")
    double lenetRate;

    @Option(names = "--round-overhead-seconds", defaultValue = "0.05", description = "Fixed cost of a round"
            + " (task launch, scheduling, serialisation; overridden by --bench's 2-worker cluster row).")
    double fixedRound;

    @Option(names = "--task-seconds", defaultValue = "0.002", description = "The driver's cost to launch and"
            + " collect one task (Spark schedules a few thousand tasks a second at best).")
    double perTask;

    @Option(names = "--gemm-gflops-per-core", defaultValue = "25", description = "float32 GEMM GFLOP/s of one"
            + " core (overridden by --bench's GEMM measurement).")
    double gemmPerCore;

    @Override
    public Integer call() throws Exception {
        if (bench != null) {
            JsonNode b = new ObjectMapper().readTree(bench);
            for (JsonNode row : b.path("rows")) {
                String label = row.path("row").asText();
                if (label.startsWith("f.") && row.has("train_images_per_second")) {
                    lenetRate = row.get("train_images_per_second").asDouble();
                }
                if (label.startsWith("d.") && row.has("mean_round_seconds")) {
                    fixedRound = row.get("mean_round_seconds").asDouble() * row.get("averaging_overhead_share").asDouble();
                }
            }
            if (b.has("gemm")) {
                gemmPerCore = b.get("gemm").get("gemm_gflops").asDouble() / b.get("gemm").get("threads").asInt();
            }
        }
        double link = gbps * 1e9 / 8;
        double resnetRate = resnetRateOverride > 0 ? resnetRateOverride
                : cores * gemmPerCore * 1e9 * resnetPeakShare / (6 * RESNET50_MACS);
        String resnetSource = resnetRateOverride > 0 ? "given"
                : String.format(Locale.ROOT, "%d cores x %.1f GFLOP/s per core x %.0f%% / %.1f GFLOP per image", cores,
                        gemmPerCore, 100 * resnetPeakShare, 6 * RESNET50_MACS / 1e9);
        System.out.printf(Locale.ROOT, "Inputs: %.0f Gb/s links; fixed round cost %.3f s plus %.3f s per task;"
                        + " LeNet-5 %.0f img/s per 1-core worker; ResNet-50 %.2f img/s per executor (%s); Adam state"
                        + " = 3 x 4 bytes per parameter.%n%n",
                gbps, fixedRound, perTask, lenetRate, resnetRate, resnetSource);
        table("LeNet-5, batch 32", lenetRate, 32, 12 * LENET5_PARAMETERS, link);
        table("ResNet-50 (224x224x3), batch 32", resnetRate, 32, 12 * RESNET50_PARAMETERS, link);
        return 0;
    }

    private void table(String title, double rate, int batch, double stateBytes, double link) {
        System.out.printf(Locale.ROOT, "%s: images/s of the cluster (efficiency against W ideal workers)%n%n", title);
        System.out.println("| executors | tau 10, driver (tree) | tau 10, flat reduce | tau 50, driver (tree)"
                + " | tau 10, all-reduce (BigDL) |");
        System.out.println("|---:|---:|---:|---:|---:|");
        ScalingModel t10 = new ScalingModel(rate, batch, 10, stateBytes, link, fixedRound, perTask);
        ScalingModel t50 = new ScalingModel(rate, batch, 50, stateBytes, link, fixedRound, perTask);
        for (int w = 1; w <= 256; w *= 2) {
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", w, cell(t10, w, Exchange.DRIVER),
                    cell(t10, w, Exchange.DIRECT), cell(t50, w, Exchange.DRIVER), cell(t10, w, Exchange.ALL_REDUCE));
        }
        System.out.printf(Locale.ROOT, "%nEfficiency falls below 50%% at (executors, up to 4096): driver tree tau 10:"
                        + " %s, flat reduce tau 10: %s, driver tree tau 50: %s, all-reduce tau 10: %s; compute per round"
                        + " %.2f s (tau 10), one state over a link %.3f s.%n%n",
                half(t10, Exchange.DRIVER), half(t10, Exchange.DIRECT), half(t50, Exchange.DRIVER),
                half(t10, Exchange.ALL_REDUCE), t10.computeSeconds(), stateBytes / link);
    }

    private static String half(ScalingModel m, Exchange e) {
        int w = m.halfEfficiencyWorkers(e, 4096);
        return w > 4096 ? "never" : Integer.toString(w);
    }

    private static String cell(ScalingModel m, int w, Exchange e) {
        return String.format(Locale.ROOT, "%,.0f (%.0f%%)", m.throughput(w, e), 100 * m.efficiency(w, e));
    }
}
