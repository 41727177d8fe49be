package io.sparkcnn.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's race to a test accuracy: every {@code evalEveryImages} training images the run is paused, the
 * test set evaluated, and the run stops once the accuracy reaches {@code target} or its training time passes
 * {@code timeLimitSeconds}. Set by scripts/bench through the environment (SPARK_CNN_BENCH_TARGET,
 * SPARK_CNN_BENCH_TIME_LIMIT, SPARK_CNN_BENCH_EVAL_EVERY) rather than the job config: it is a measuring
 * device, not part of a job, and the environment reaches a client-mode driver under spark-submit unchanged.
 */
record Race(double target, double timeLimitSeconds, long evalEveryImages) {
    static final Race OFF = new Race(0, Double.POSITIVE_INFINITY, Long.MAX_VALUE);

    static Race fromEnvironment() {
        String target = System.getenv("SPARK_CNN_BENCH_TARGET");
        if (target == null || target.isBlank()) {
            return OFF;
        }
        return new Race(parse("SPARK_CNN_BENCH_TARGET", target),
                parse("SPARK_CNN_BENCH_TIME_LIMIT", System.getenv().getOrDefault("SPARK_CNN_BENCH_TIME_LIMIT", "600")),
                (long) parse("SPARK_CNN_BENCH_EVAL_EVERY", System.getenv().getOrDefault("SPARK_CNN_BENCH_EVAL_EVERY",
                        "30000")));
    }

    private static double parse(String name, String value) {
        try {
            double v = Double.parseDouble(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "='" + value + "' must be a positive number");
    }

    boolean on() {
        return target > 0;
    }

    /** The accuracy curve of one run against its training clock, and whether and when it reached the target. */
    static final class Log {
        private final Race race;
        private final List<Map<String, Object>> curve = new ArrayList<>();
        private double reachedSeconds = Double.NaN;
        private long reachedExamples;
        private double lastSeconds;

        Log(Race race) {
            this.race = race;
        }

        /** Whether {@code examples} trained since the last check call for another evaluation. */
        boolean due(long examples) {
            long last = curve.isEmpty() ? 0 : (long) curve.get(curve.size() - 1).get("examples");
            return race.on() && examples - last >= race.evalEveryImages();
        }

        /** Records a test evaluation; true when the run should stop (target reached or out of time). */
        boolean record(double trainingSeconds, long examples, double accuracy) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("training_seconds", trainingSeconds);
            point.put("examples", examples);
            point.put("test_accuracy", accuracy);
            curve.add(point);
            lastSeconds = trainingSeconds;
            if (Double.isNaN(reachedSeconds) && accuracy >= race.target()) {
                reachedSeconds = trainingSeconds;
                reachedExamples = examples;
            }
            return !Double.isNaN(reachedSeconds) || outOfTime(trainingSeconds);
        }

        boolean outOfTime(double trainingSeconds) {
            return race.on() && trainingSeconds >= race.timeLimitSeconds();
        }

        Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (!race.on()) {
                return m;
            }
            m.put("target_accuracy", race.target());
            m.put("time_limit_seconds", race.timeLimitSeconds());
            m.put("eval_every_images", race.evalEveryImages());
            m.put("seconds_to_target", Double.isNaN(reachedSeconds) ? null : reachedSeconds);
            m.put("examples_to_target", Double.isNaN(reachedSeconds) ? null : reachedExamples);
            m.put("not_reached_in_seconds", Double.isNaN(reachedSeconds) ? lastSeconds : null);
            m.put("accuracy_curve", curve);
            return m;
        }
    }
}
