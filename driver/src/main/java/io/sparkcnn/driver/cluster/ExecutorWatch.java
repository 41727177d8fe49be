package io.sparkcnn.driver.cluster;

import io.sparkcnn.driver.progress.ConsoleReporter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;

/**
 * Keeps a run on a cluster from hanging silently when no executor is left: Spark itself waits for resources
 * forever. While jobs are running without any executor, it says so once, and after {@code timeoutSeconds} it
 * cancels the jobs, so that the run stops with {@link #timeoutMessage()} instead of waiting on.
 * Local mode runs its tasks in the driver and is not watched; the watch ends with the Spark application.
 */
public final class ExecutorWatch {
    private static final long POLL_MILLIS = 1000;

    private final JavaSparkContext sc;
    private final ConsoleReporter reporter;
    private final int timeoutSeconds;
    private final ScheduledExecutorService timer;
    private long idleSince = -1;
    private boolean warned;
    private volatile boolean timedOut;
    private SparkListener ending;

    private ExecutorWatch(JavaSparkContext sc, ConsoleReporter reporter, int timeoutSeconds) {
        this.sc = sc;
        this.reporter = reporter;
        this.timeoutSeconds = timeoutSeconds;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "executor-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching {@code sc} (nothing is watched in local mode). */
    public static ExecutorWatch start(JavaSparkContext sc, ConsoleReporter reporter, int timeoutSeconds) {
        ExecutorWatch watch = new ExecutorWatch(sc, reporter, timeoutSeconds);
        if (!sc.isLocal()) {
            watch.timer.scheduleWithFixedDelay(watch::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        watch.ending = new SparkListener() {
            @Override
            public void onApplicationEnd(SparkListenerApplicationEnd end) {
                watch.timer.shutdownNow();
            }
        };
        sc.sc().addSparkListener(watch.ending);
        return watch;
    }

    /** Stops watching a context the run does not own (a Spark ML fit in the user's session), which stays up. */
    public void stop() {
        timer.shutdownNow();
        sc.sc().removeSparkListener(ending);
    }

    /** {@code e}, or the reason the run really stopped when the watch cancelled its jobs. */
    public RuntimeException explain(RuntimeException e) {
        return timedOut ? new IllegalStateException(timeoutMessage(), e) : e;
    }

    /** Whether the watch cancelled the run's jobs because no executor came back in time. */
    public boolean timedOut() {
        return timedOut;
    }

    public String timeoutMessage() {
        return "no executor was left to run the training for " + timeoutSeconds
                + " s (training.executor-wait-timeout), so the run stopped. Check that the cluster's workers are up (scripts/cluster status,"
                + " their logs) and have the cores and memory the job asks for, then continue with --resume.";
    }

    private void check() {
        boolean waiting = sc.statusTracker().getActiveJobIds().length > 0;
        // The driver is listed among the executors; a cluster run's tasks never run there.
        int executors = sc.sc().statusTracker().getExecutorInfos().length - 1;
        if (!waiting || executors > 0) {
            if (warned && executors > 0) {
                reporter.say("%d executor(s) available again; training goes on", executors);
            }
            idleSince = -1;
            warned = false;
            return;
        }
        long now = System.nanoTime();
        if (idleSince < 0) {
            idleSince = now;
        }
        long idle = TimeUnit.NANOSECONDS.toSeconds(now - idleSince);
        if (!warned && idle >= 5) {
            reporter.say("no executor is left to run the training: waiting up to %d s for one to join"
                    + " (training.executor-wait-timeout)", timeoutSeconds);
            warned = true;
        }
        if (idle >= timeoutSeconds && !timedOut) {
            timedOut = true;
            // Said here as well as by explain(): the job cancelled may be one outside the training loop.
            reporter.say("%s", timeoutMessage());
            sc.cancelAllJobs();
        }
    }
}
