package io.sparkcnn.driver.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.Success$;
import org.apache.spark.TaskEndReason;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * What the cluster did to a run, seen from the driver through Spark's listener bus: executors that joined or
 * were lost (with Spark's reason), tasks that failed and the retries that then succeeded. A run that lost an
 * executor mid-round and finished anyway says so in its report instead of hiding it.
 */
public final class ClusterEvents extends SparkListener {
    private static final Pattern ROUND_JOB = Pattern.compile("epoch \\d+/\\d+, round \\d+/\\d+(: train)?");

    private final long started = System.nanoTime();
    private final List<Map<String, Object>> executorsLost = new ArrayList<>();
    private final List<Map<String, Object>> tasksFailed = new ArrayList<>();
    private final Map<Integer, Long> roundJobsRunning = new HashMap<>();
    private final List<Double> roundSeconds = new ArrayList<>();
    private int executorsAdded;
    private int retriesSucceeded;

    /** A listener registered on {@code sc}'s listener bus from now on. */
    public static ClusterEvents attach(JavaSparkContext sc) {
        ClusterEvents events = new ClusterEvents();
        sc.sc().addSparkListener(events);
        return events;
    }

    // A round's training job, told apart from other jobs by the description AveragingTrainer gives it: its
    // wall time is what a straggler or a retried task makes longer.
    @Override
    public synchronized void onJobStart(SparkListenerJobStart start) {
        String description = start.properties() == null ? null
                : start.properties().getProperty("spark.job.description");
        if (description != null && ROUND_JOB.matcher(description).matches()) {
            roundJobsRunning.put(start.jobId(), start.time());
        }
    }

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd end) {
        Long began = roundJobsRunning.remove(end.jobId());
        if (began != null) {
            roundSeconds.add((end.time() - began) / 1e3);
        }
    }

    @Override
    public synchronized void onExecutorAdded(SparkListenerExecutorAdded added) {
        executorsAdded++;
    }

    @Override
    public synchronized void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("executor", removed.executorId());
        row.put("reason", removed.reason());
        row.put("seconds_into_run", seconds());
        executorsLost.add(row);
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        TaskInfo info = end.taskInfo();
        TaskEndReason reason = end.reason();
        if (reason instanceof TaskFailedReason failed) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stage", end.stageId());
            row.put("partition", info.index());
            row.put("attempt", info.attemptNumber());
            row.put("executor", info.executorId());
            row.put("reason", failed.toErrorString().lines().findFirst().orElse(""));
            row.put("seconds_into_run", seconds());
            tasksFailed.add(row);
        } else if (reason == Success$.MODULE$ && info.attemptNumber() > 0) {
            retriesSucceeded++;
        }
    }

    public synchronized int executorsLost() {
        return executorsLost.size();
    }

    public synchronized int tasksFailed() {
        return tasksFailed.size();
    }

    public synchronized int retriesSucceeded() {
        return retriesSucceeded;
    }

    /** The {@code cluster_events} section of {@code metrics.json}. */
    public synchronized Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executors_added", executorsAdded);
        m.put("executors_lost", new ArrayList<>(executorsLost));
        m.put("tasks_failed", new ArrayList<>(tasksFailed));
        m.put("task_retries_succeeded", retriesSucceeded);
        m.put("round_seconds", roundTimes());
        return m;
    }

    /** One line for the console; empty when nothing happened. */
    public synchronized String describe() {
        if (executorsLost.isEmpty() && tasksFailed.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(String.format(
                "cluster events: %d executor(s) lost, %d task attempt(s) failed, %d retried task(s) succeeded",
                executorsLost.size(), tasksFailed.size(), retriesSucceeded));
        executorsLost.forEach(e -> s.append(String.format("%n  executor %s lost after %.0f s: %s",
                e.get("executor"), (Double) e.get("seconds_into_run"), e.get("reason"))));
        tasksFailed.stream().limit(10).forEach(t -> s.append(String.format(
                "%n  task %s of stage %s (attempt %s, executor %s) failed: %s", t.get("partition"), t.get("stage"),
                t.get("attempt"), t.get("executor"), t.get("reason"))));
        return s.toString();
    }

    /** The rounds' training-job wall times: how many, the median and the longest. */
    private Map<String, Object> roundTimes() {
        List<Double> sorted = roundSeconds.stream().sorted().toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rounds", sorted.size());
        m.put("median", sorted.isEmpty() ? null : sorted.get(sorted.size() / 2));
        m.put("max", sorted.isEmpty() ? null : sorted.get(sorted.size() - 1));
        return m;
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
