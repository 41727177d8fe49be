package io.sparkcnn.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The folder-tree path on HDFS, in YARN cluster mode: {@code prepare} packs a PNG tree into Parquet shards on
 * HDFS, LeNet-5 trains from those shards, and {@code predict} classifies the tree's test folder into a CSV on
 * HDFS with the model the run wrote there. One spec, since each step consumes what the one before wrote.
 */
@Timeout(1800)
@ExtendWith(SharedCluster.class)
class HdfsPrepareAndPredictIT {
    @Test
    void preparesATreeOnHdfsIntoShardsTrainsFromThemAndPredictsOverAnHdfsFolder(YarnHdfsCluster cluster)
            throws Exception {
        int tests = FashionOnHdfs.writeTree(cluster, "/data/tree", 1500, 300);
        String shards = cluster.hdfs("/data/shards");
        YarnHdfsCluster.Submitted prepared = cluster.submit(Jobs.command("prepare", List.of("prepare",
                "--root", cluster.hdfs("/data/tree"), "--out", shards, "--shards", "2", "--channels", "1")),
                Duration.ofMinutes(10));
        System.out.printf("HdfsPrepareAndPredictIT: prepare in %.1f s%n", prepared.seconds());
        assertEquals(0, prepared.exitCode(), () -> cluster.diagnose(prepared));
        assertTrue(cluster.fs().isFile(new Path(shards, "manifest.json")), () -> cluster.diagnose(prepared));
        assertTrue(cluster.fs().listStatus(new Path(shards, "train"), f -> f.getName().endsWith(".parquet")).length > 0,
                () -> cluster.diagnose(prepared));

        String run = cluster.hdfs("/runs/from-shards");
        YarnHdfsCluster.Submitted trained = cluster.submit(Jobs.command("train-shards", List.of("train",
                "./fashion-shards.conf", "--out", run, "--progress", "lines", "--set", "data.shards=" + shards,
                "--set", "training.epochs=1")), Duration.ofMinutes(10));
        System.out.printf("HdfsPrepareAndPredictIT: train from shards in %.1f s%n", trained.seconds());
        assertEquals(0, trained.exitCode(), () -> cluster.diagnose(trained));
        String metrics = Jobs.read(cluster.fs(), new Path(run, "metrics.json"));
        assertTrue(Jobs.number(metrics, "test_accuracy") > 0.3, () -> "LeNet-5 from 1,350 shard images: " + metrics);

        String csv = cluster.hdfs("/predictions/test.csv");
        YarnHdfsCluster.Submitted predicted = cluster.submit(Jobs.command("predict", List.of("predict",
                "--model", run + "/model.zip", "--input", cluster.hdfs("/data/tree/test"), "--out", csv,
                "--top-k", "3")), Duration.ofMinutes(10));
        System.out.printf("HdfsPrepareAndPredictIT: predict in %.1f s%n", predicted.seconds());
        assertEquals(0, predicted.exitCode(), () -> cluster.diagnose(predicted));
        assertEquals(FinalApplicationStatus.SUCCEEDED,
                cluster.report(predicted.appId()).orElseThrow().getFinalApplicationStatus());
        List<String> rows = Jobs.read(cluster.fs(), new Path(csv)).lines().toList();
        assertEquals("path,class_1,probability_1,class_2,probability_2,class_3,probability_3,error", rows.get(0));
        assertEquals(tests, rows.size() - 1, "one row per test image");
        long right = rows.stream().skip(1).filter(r -> {
            String[] cells = r.split(",");
            String folder = new Path(cells[0].replace("\"", "")).getParent().getName();
            return folder.equals(cells[1].replace("\"", ""));
        }).count();
        assertTrue(right > 0.3 * tests, right + " of " + tests + " test images classified as their folder");
    }
}
