package io.sparkcnn.jobs.prepare;

import io.sparkcnn.driver.progress.ConsoleReporter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A progress bar for long Spark passes: counts the finished tasks of every running stage against its total and
 * prints a line through the reporter now and then (and when the stage ends), labelled with the job description.
 */
final class StageProgress extends SparkListener {
    private static final int WIDTH = 30;

    private final ConsoleReporter reporter;
    private final long intervalNanos;
    private final Map<Integer, Stage> running = new ConcurrentHashMap<>();
    private final AtomicLong lastPrint = new AtomicLong(System.nanoTime());

    StageProgress(ConsoleReporter reporter, double intervalSeconds) {
        this.reporter = reporter;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /** One stage's counts; the listener bus calls us from one thread, the counters are for the readers. */
    private record Stage(String label, int total, AtomicInteger done) {}

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        String description = submitted.properties() == null ? null
                : submitted.properties().getProperty("spark.job.description");
        // A job may run several stages (a shuffle, then the write): the stage id tells them apart.
        String label = (description != null ? description : submitted.stageInfo().name())
                + " (stage " + submitted.stageInfo().stageId() + ")";
        running.put(submitted.stageInfo().stageId(),
                new Stage(label, submitted.stageInfo().numTasks(), new AtomicInteger()));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Stage stage = running.get(end.stageId());
        if (stage == null || !end.taskInfo().successful()) {
            return;
        }
        stage.done().incrementAndGet();
        long now = System.nanoTime();
        long last = lastPrint.get();
        if (now - last >= intervalNanos && lastPrint.compareAndSet(last, now)) {
            print(stage);
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted completed) {
        Stage stage = running.remove(completed.stageInfo().stageId());
        if (stage != null) {
            scala.Option<Object> from = completed.stageInfo().submissionTime();
            scala.Option<Object> to = completed.stageInfo().completionTime();
            String took = from.isDefined() && to.isDefined()
                    ? " in " + ConsoleReporter.duration(((Long) to.get() - (Long) from.get()) / 1e3) : "";
            print(stage, took);
            lastPrint.set(System.nanoTime());
        }
    }

    private void print(Stage stage) {
        print(stage, "");
    }

    private void print(Stage stage, String suffix) {
        reporter.say("%s %s%s", bar(stage.done().get(), stage.total()), stage.label(), suffix);
    }

    /** {@code [#########.....]  9/14 tasks}: tasks, not bytes, since that is all Spark knows in advance. */
    static String bar(int done, int total) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + " tasks";
    }
}
