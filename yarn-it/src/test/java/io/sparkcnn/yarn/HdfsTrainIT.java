package io.sparkcnn.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The representative YARN/HDFS scenario, in the default build: LeNet-5 trained in YARN cluster mode from IDX
 * files on HDFS, with the whole run folder (model, metrics, checkpoints) written to HDFS.
 */
@Timeout(900)
@ExtendWith(SharedCluster.class)
class HdfsTrainIT {
    static YarnHdfsCluster cluster;

    @BeforeAll
    static void start(YarnHdfsCluster shared) {
        cluster = shared;
    }

    @Test
    void trainsLeNet5FromIdxFilesOnHdfsAndWritesTheRunToHdfs() throws Exception {
        List<String> data = FashionOnHdfs.write(cluster, "/data/fashion", 3000, 500);
        String out = cluster.hdfs("/runs/lenet5");
        YarnHdfsCluster.Submitted s = cluster.submit(Jobs.train("train-hdfs", out, data, List.of()),
                Duration.ofMinutes(10));
        System.out.printf("HdfsTrainIT: spark-submit to the end in %.1f s%n", s.seconds());

        assertEquals(0, s.exitCode(), () -> cluster.diagnose(s));
        assertEquals(FinalApplicationStatus.SUCCEEDED, cluster.report(s.appId()).orElseThrow().getFinalApplicationStatus(),
                () -> cluster.diagnose(s));
        FileSystem fs = cluster.fs();
        org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path(out);
        for (String name : List.of("model.zip", "metrics.json", "report.html", "job.conf")) {
            assertTrue(fs.isFile(new org.apache.hadoop.fs.Path(run, name)), () -> name + " on HDFS; " + cluster.diagnose(s));
        }
        FileStatus[] checkpoints = fs.listStatus(new org.apache.hadoop.fs.Path(run, "checkpoints"),
                p -> p.getName().startsWith("ckpt-"));
        assertFalse(checkpoints.length == 0, "checkpoints on HDFS: " + Arrays.toString(checkpoints));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/runs/.lenet5.incomplete")), "staging folder renamed");

        String metrics = Jobs.read(fs, new org.apache.hadoop.fs.Path(run, "metrics.json"));
        assertTrue(metrics.contains("\"yarn\""), "the run's master was YARN: " + metrics.substring(0, 400));
        double accuracy = Jobs.number(metrics, "test_accuracy");
        assertTrue(accuracy > 0.6, "LeNet-5 after one epoch of 3,000 images: test accuracy " + accuracy);
    }
}
