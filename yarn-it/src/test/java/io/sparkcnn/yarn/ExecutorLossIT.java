package io.sparkcnn.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An executor's container killed (kill -9) while the rounds run: the task it ran fails, YARN gives a new
 * container, Spark re-runs the lost work, the run finishes and reports the loss.
 */
@Timeout(1200)
@ExtendWith(SharedCluster.class)
class ExecutorLossIT {
    @Test
    void anExecutorKilledMidRoundIsReplacedTheRoundRetriedAndTheRunFinishes(YarnHdfsCluster cluster) throws Exception {
        List<String> data = FashionOnHdfs.write(cluster, "/data/fashion-executor-loss", 6000, 500);
        String out = cluster.hdfs("/runs/executor-loss");
        YarnHdfsCluster.Submit submit = Jobs.train("executor-loss", out, data, List.of());
        long began = System.nanoTime();
        Process p = cluster.launch(submit);
        // The first checkpoint means the rounds are under way; most of a run's time is inside a round.
        Jobs.awaitCheckpoint(cluster, out, p, Duration.ofMinutes(8));
        String appId = cluster.appIdSoFar(submit).orElseThrow();
        ProcessHandle executor = YarnHdfsCluster.containerProcess(appId, "YarnCoarseGrainedExecutorBackend")
                .orElseThrow(() -> new AssertionError("no executor process of " + appId));
        assertTrue(executor.destroyForcibly(), "kill -9 of executor pid " + executor.pid());
        YarnHdfsCluster.Submitted s = cluster.await(submit, p, began, Duration.ofMinutes(12));
        System.out.printf("ExecutorLossIT: spark-submit to the end in %.1f s%n", s.seconds());

        assertEquals(0, s.exitCode(), () -> cluster.diagnose(s));
        assertEquals(FinalApplicationStatus.SUCCEEDED,
                cluster.report(s.appId()).orElseThrow().getFinalApplicationStatus(), () -> cluster.diagnose(s));
        String metrics = Jobs.read(cluster.fs(), new Path(out, "metrics.json"));
        assertTrue(Pattern.compile("\"executors_lost\"\\s*:\\s*\\[\\s*\\{").matcher(metrics).find(),
                () -> "metrics.json reports the lost executor: " + metrics);
        // The round's task that died with the executor; Spark re-ran it (with the lost shuffle output, as a new
        // stage attempt after the FetchFailed) and the round, and the run, finished.
        assertTrue(Pattern.compile("\"tasks_failed\"\\s*:\\s*\\[[^\\]]*ExecutorLostFailure").matcher(metrics).find(),
                () -> "metrics.json reports the round's task lost with the executor: " + metrics);
        assertEquals("finished", Jobs.string(metrics, "status"));
        assertTrue(cluster.containerLogs(s.appId()).contains("executor(s) lost"),
                "the driver's console told the user about the lost executor");
    }
}
