package io.sparkcnn.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The application master (the driver, in cluster mode) killed after the run's first checkpoint reached HDFS:
 * YARN's second attempt continues from that checkpoint by itself; with one attempt, a --resume does.
 */
@Timeout(1800)
@ExtendWith(SharedCluster.class)
class AppMasterRetryIT {
    private static final Pattern RESUMED = Pattern.compile("resuming at epoch (\\d+), block (\\d+)");

    @Test
    void theSecondAttemptContinuesFromTheCheckpointOnHdfs(YarnHdfsCluster cluster) throws Exception {
        List<String> data = FashionOnHdfs.write(cluster, "/data/fashion-am-retry", 4000, 500);
        String out = cluster.hdfs("/runs/am-retry");
        YarnHdfsCluster.Submit submit = Jobs.train("am-retry", out, data, List.of("--set", "training.epochs=2"), 2);
        long began = System.nanoTime();
        Process p = cluster.launch(submit);
        killTheApplicationMasterAfterTheFirstCheckpoint(cluster, submit, out, p);
        YarnHdfsCluster.Submitted s = cluster.await(submit, p, began, Duration.ofMinutes(15));
        System.out.printf("AppMasterRetryIT (2 attempts): spark-submit to the end in %.1f s%n", s.seconds());

        assertEquals(0, s.exitCode(), () -> cluster.diagnose(s));
        assertEquals(FinalApplicationStatus.SUCCEEDED,
                cluster.report(s.appId()).orElseThrow().getFinalApplicationStatus(), () -> cluster.diagnose(s));
        assertEquals(2, cluster.attempts(s.appId()), () -> cluster.diagnose(s));
        String logs = cluster.containerLogs(s.appId());
        assertTrue(logs.contains("attempt 2 of this YARN application: continuing the stopped run"),
                () -> cluster.diagnose(s));
        assertResumedPastTheStart(logs, s, cluster);
        assertTrue(cluster.fs().isFile(new Path(out, "model.zip")), () -> cluster.diagnose(s));
    }

    @Test
    void withOneAttemptAResumeContinuesFromTheCheckpointOnHdfs(YarnHdfsCluster cluster) throws Exception {
        List<String> data = FashionOnHdfs.write(cluster, "/data/fashion-am-resume", 4000, 500);
        String out = cluster.hdfs("/runs/am-resume");
        YarnHdfsCluster.Submit first = Jobs.train("am-killed", out, data, List.of("--set", "training.epochs=2"), 1);
        long began = System.nanoTime();
        Process p = cluster.launch(first);
        killTheApplicationMasterAfterTheFirstCheckpoint(cluster, first, out, p);
        YarnHdfsCluster.Submitted killed = cluster.await(first, p, began, Duration.ofMinutes(5));
        assertNotEquals(0, killed.exitCode(), () -> "the only attempt was killed: " + cluster.diagnose(killed));
        assertNotEquals(FinalApplicationStatus.SUCCEEDED,
                cluster.report(killed.appId()).orElseThrow().getFinalApplicationStatus());

        YarnHdfsCluster.Submitted s = cluster.submit(Jobs.command("am-resumed",
                List.of("train", "--resume", out, "--progress", "lines")), Duration.ofMinutes(15));
        System.out.printf("AppMasterRetryIT (--resume): spark-submit to the end in %.1f s%n", s.seconds());

        assertEquals(0, s.exitCode(), () -> cluster.diagnose(s));
        assertEquals(FinalApplicationStatus.SUCCEEDED,
                cluster.report(s.appId()).orElseThrow().getFinalApplicationStatus(), () -> cluster.diagnose(s));
        assertResumedPastTheStart(cluster.containerLogs(s.appId()), s, cluster);
        assertTrue(cluster.fs().isFile(new Path(out, "model.zip")), () -> cluster.diagnose(s));
    }

    private static void killTheApplicationMasterAfterTheFirstCheckpoint(YarnHdfsCluster cluster,
            YarnHdfsCluster.Submit submit, String out, Process p) throws Exception {
        Jobs.awaitCheckpoint(cluster, out, p, Duration.ofMinutes(8));
        String appId = cluster.appIdSoFar(submit).orElseThrow();
        ProcessHandle am = YarnHdfsCluster.containerProcess(appId, "org.apache.spark.deploy.yarn.ApplicationMaster")
                .orElseThrow(() -> new AssertionError("no application master process of " + appId));
        assertTrue(am.destroyForcibly(), "kill -9 of the application master, pid " + am.pid());
    }

    /** A resume that started over would say epoch 0, block 1; a checkpoint on HDFS puts it further. */
    private static void assertResumedPastTheStart(String logs, YarnHdfsCluster.Submitted s, YarnHdfsCluster cluster) {
        Matcher m = RESUMED.matcher(logs);
        assertTrue(m.find(), () -> "no 'resuming at' line; " + cluster.diagnose(s));
        int epoch = Integer.parseInt(m.group(1));
        int block = Integer.parseInt(m.group(2));
        assertTrue(epoch > 0 || block > 1, "resumed at epoch " + epoch + ", block " + block);
    }
}
