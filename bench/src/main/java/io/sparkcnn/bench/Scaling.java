package io.sparkcnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code scaling}: the throughput-versus-executors tables of docs/scaling.md, from {@link ScalingModel} fed with
 * one bench run's measurements: each exchange's round cost fitted ({@link RoundCost}) to the exchange rows
 * (y: a loopback cluster, the driver in a JVM of its own; x, local mode, if y did not run) at two state sizes and
 * 1, 2 and 4 workers; the 1-worker cluster row (f) for LeNet-5's images/s per 1-core worker; the GEMM ceiling
 * for ResNet-50's on a CPU executor. Only the network bandwidth and the GPU-class rate are stated, not measured.
 */
@Command(name = "scaling", mixinStandardHelpOptions = true,
        description = "Model throughput against the number of executors for LeNet-5 and ResNet-50, from a bench run.")
final class Scaling implements Callable<Integer> {
    /** ResNet-50 on 224x224x3: 25.6 M parameters, 4.1 G forward multiply-adds (He et al. 2016). */
    static final double RESNET50_PARAMETERS = 25.6e6;
    static final double RESNET50_MACS = 4.1e9;
    /** Parameters plus Adam's two moments, float32. */
    static final int STATE_BYTES_PER_PARAMETER = 12;
    static final String[] EXCHANGES = {"tree", "all-reduce"};
    static final int MAX_EXECUTORS = 4096;

    @Spec
    CommandSpec spec;

    @Option(names = "--bench", required = true, paramLabel = "DIR", description = "A scripts/bench output folder"
            + " of a run with rows y (or x) and f, e.g. scripts/bench --rows f,y --target 0.")
    File bench;

    @Option(names = "--bandwidth-gbps", defaultValue = "10", description = "Each node's network link, Gb/s.")
    double gbps;

    @Option(names = "--cores-per-executor", defaultValue = "16", description = "For ResNet-50: an executor's cores.")
    int cores;

    @Option(names = "--resnet-peak-share", defaultValue = "0.3", description = "For ResNet-50 on CPUs: the share of"
            + " the measured per-core GEMM peak its training reaches.")
    double resnetPeakShare;

    @Option(names = "--gpu-images-per-second", defaultValue = "300", description = "For ResNet-50: one GPU-class"
            + " executor's images/s.")
    double gpuRate;

    @Override
    public Integer call() throws IOException {
        ObjectMapper json = new ObjectMapper();
        File report = new File(bench, "bench.json");
        double lenetRate = 0;
        double gemmPerCore = 0;
        if (report.isFile()) {
            JsonNode b = json.readTree(report);
            for (JsonNode row : b.path("rows")) {
                if (row.path("row").asText().startsWith("f.") && row.has("train_images_per_second")) {
                    lenetRate = row.get("train_images_per_second").asDouble();
                }
            }
            JsonNode gemm = b.path("gemm");
            if (gemm.has("gemm_gflops")) {
                gemmPerCore = gemm.get("gemm_gflops").asDouble() / gemm.get("threads").asInt();
            }
        }
        if (lenetRate <= 0 || gemmPerCore <= 0) {
            throw new ParameterException(spec.commandLine(), "scaling: " + report + " has no row f (LeNet-5 on a"
                    + " 1-worker cluster) or no GEMM measurement; run scripts/bench --rows f,y --target 0 --out "
                    + bench);
        }
        String letter = new File(bench, "exchange-y-1-tree/metrics.json").isFile() ? "y" : "x";
        Map<String, RoundCost> costs = new java.util.LinkedHashMap<>();
        for (String exchange : EXCHANGES) {
            costs.put(exchange, RoundCost.fit(exchange, measured(json, letter, exchange)));
        }
        double link = gbps * 1e9 / 8;
        double resnetCpu = cores * gemmPerCore * 1e9 * resnetPeakShare / (6 * RESNET50_MACS);
        System.out.printf(Locale.ROOT, "Measured in %s (rows %s and f): round costs outside the training step,"
                        + " fitted to W = 1, 2, 4 at two state sizes:%n", bench, letter);
        costs.values().forEach(c -> System.out.println("  " + c));
        System.out.printf(Locale.ROOT, "LeNet-5 %.0f img/s per 1-core worker (row f); GEMM %.1f GFLOP/s per core;"
                + " stated: %.0f Gb/s links, ResNet-50 on a %d-core CPU executor at %.0f%% of the GEMM peak (%.2f"
                + " img/s), a GPU-class executor %.0f img/s; Adam's state, 12 bytes per parameter.%n%n", lenetRate,
                gemmPerCore, gbps, cores, 100 * resnetPeakShare, resnetCpu, gpuRate);
        table("LeNet-5, batch 32, 1-core CPU executors", lenetRate, 32, measuredLenetState(json, letter), link, costs);
        double resnetState = STATE_BYTES_PER_PARAMETER * RESNET50_PARAMETERS;
        table("ResNet-50 (224x224x3), batch 32, CPU executors", resnetCpu, 32, resnetState, link, costs);
        table("ResNet-50 (224x224x3), batch 32, GPU-class executors", gpuRate, 32, resnetState, link, costs);
        return 0;
    }

    /** The exchange's rounds from rows x or y: the median cost outside the slowest step, the first round left out. */
    private List<RoundCost.Measured> measured(ObjectMapper json, String letter, String exchange) throws IOException {
        List<RoundCost.Measured> rounds = new ArrayList<>();
        for (String model : new String[] {"", "lenet5-"}) {
            for (int w : new int[] {1, 2, 4}) {
                File metrics = new File(bench, "exchange-" + letter + "-" + model + w + "-" + exchange + "/metrics.json");
                if (!metrics.isFile()) {
                    continue;
                }
                JsonNode m = json.readTree(metrics);
                JsonNode phases = m.path("rounds").path("phase_seconds");
                rounds.add(new RoundCost.Measured(w, m.get("state_bytes").asDouble(), median(phases, DRIVER_PHASES),
                        median(phases, EXECUTOR_PHASES), m.path("driver_result_bytes_per_round").asDouble()));
            }
        }
        return rounds;
    }

    /** The driver's phases of a round ({@code RoundPhases}), which it pays one task after another. */
    static final List<String> DRIVER_PHASES = List.of("broadcast", "spark", "driver_merge", "averaging", "other");
    /** The slowest task's phases but its training steps, which the executors pay side by side. */
    static final List<String> EXECUTOR_PHASES = List.of("state_fetch", "state_load", "first_batch", "batch_wait",
            "result", "partial_sum", "task_other");

    /** The median over rounds 2.. (the first is the JIT's warm-up) of the sum of these phases' seconds. */
    static double median(JsonNode phaseSeconds, List<String> phases) {
        int rounds = phaseSeconds.path("steps").size();
        if (rounds < 2) {
            throw new IllegalArgumentException("a measured exchange run has " + rounds + " rounds; it needs 2 or more");
        }
        double[] sums = new double[rounds - 1];
        for (String phase : phases) {
            JsonNode seconds = phaseSeconds.path(phase);
            for (int r = 1; r < rounds && r < seconds.size(); r++) {
                sums[r - 1] += seconds.get(r).asDouble();
            }
        }
        Arrays.sort(sums);
        int n = sums.length;
        return n % 2 == 1 ? sums[n / 2] : (sums[n / 2 - 1] + sums[n / 2]) / 2;
    }

    private double measuredLenetState(ObjectMapper json, String letter) throws IOException {
        return json.readTree(new File(bench, "exchange-" + letter + "-lenet5-1-tree/metrics.json"))
                .get("state_bytes").asDouble();
    }

    private static void table(String title, double rate, int batch, double stateBytes, double link,
                              Map<String, RoundCost> costs) {
        System.out.printf(Locale.ROOT, "%s (%.1f MB of state): images/s of the cluster (efficiency against W ideal"
                + " workers)%n%n", title, stateBytes / 1e6);
        StringBuilder head = new StringBuilder("| executors |");
        StringBuilder rule = new StringBuilder("|---:|");
        for (int tau : new int[] {10, 50}) {
            for (String e : costs.keySet()) {
                head.append(" tau ").append(tau).append(", ").append(e).append(" |");
                rule.append("---:|");
            }
        }
        System.out.println(head);
        System.out.println(rule);
        ScalingModel[] models = {new ScalingModel(rate, batch, 10, stateBytes, link),
            new ScalingModel(rate, batch, 50, stateBytes, link)};
        for (int w = 1; w <= 256; w *= 2) {
            StringBuilder line = new StringBuilder("| " + w + " |");
            for (ScalingModel m : models) {
                for (RoundCost c : costs.values()) {
                    line.append(String.format(Locale.ROOT, " %,.0f (%.0f%%) |", m.throughput(w, c),
                            100 * m.efficiency(w, c)));
                }
            }
            System.out.println(line);
        }
        System.out.println();
        for (ScalingModel m : models) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "tau %d (compute %.2f s a round):",
                    m.tau(), m.computeSeconds()));
            for (RoundCost c : costs.values()) {
                line.append(String.format(Locale.ROOT, " %s below 90%% at %s and below 50%% at %s executors;",
                        c.exchange(), count(m.workersBelow(0.9, c, MAX_EXECUTORS)),
                        count(m.workersBelow(0.5, c, MAX_EXECUTORS))));
            }
            System.out.println(line);
        }
        System.out.println();
    }

    private static String count(int workers) {
        return workers > MAX_EXECUTORS ? "more than " + MAX_EXECUTORS : Integer.toString(workers);
    }
}
