package io.sparkcnn.jobs.spark;

import io.sparkcnn.workers.train.NativeThreads;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * The Spark settings every command starts from (train, evaluate, prepare, predict): the master, the application
 * jar shipped outside spark-submit, our progress instead of Spark's console bar, and the executors' OpenMP wait
 * policy, and the driver's address on loopback for local mode and the scripted local cluster. Each command adds its
 * own on top.
 */
public final class SparkSettings {
    private SparkSettings() {}

    /**
     * {@code masterOverride} (from --master) wins; else spark-submit's master; else {@code defaultMaster}.
     */
    public static SparkConf forCommand(String appName, String masterOverride, String defaultMaster) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (masterOverride != null) {
            conf.setMaster(masterOverride);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(defaultMaster);
        }
        // Outside spark-submit (scripts/train --master spark://...), ship the application jar ourselves.
        String appJar = System.getProperty("sparkcnn.app.jar");
        if (appJar != null && !conf.get("spark.master").startsWith("local") && !conf.contains("spark.jars")) {
            conf.setJars(new String[] {appJar});
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", NativeThreads.OMP_WAIT_POLICY);
        // A training round's task result is a state (5.2 MB for LeNet-5 with Adam). Above Spark's 1 MB default it is
        // parked in the executor's block manager and fetched by the driver in a second round trip; up to 64 MB
        // (half of spark.rpc.message.maxSize's default) it now comes with the task's status update instead: Spark's
        // part of a round 40 -> 32 ms in local mode, 89 -> 81 ms on the loopback cluster (docs/performance.md).
        conf.setIfMissing("spark.task.maxDirectResultSize", "64m");
        if (isLoopback(conf.get("spark.master"))) {
            // Local mode and scripts/cluster's standalone cluster live on 127.0.0.1: pin the driver there, so that a
            // machine whose host name resolves elsewhere (or nowhere) still works. Anywhere else (YARN, Kubernetes, a
            // standalone master on another host) executors on other machines must reach the driver, so Spark's own
            // choice stands (the host's address, or SPARK_LOCAL_IP / spark.driver.host when given).
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        return conf;
    }

    /** True for local mode and for a standalone master on the loopback interface (scripts/cluster's). */
    static boolean isLoopback(String master) {
        if (master.startsWith("local")) {
            return true;
        }
        Matcher m = STANDALONE_HOST.matcher(master);
        return m.lookingAt() && (m.group(1).startsWith("127.") || m.group(1).equals("localhost"));
    }

    /**
     * The attempt number of the YARN application whose container this JVM runs in (1 for the first; the driver
     * runs in the application master's container in cluster mode), or 0 outside YARN. From the container id that
     * the NodeManager puts in every container's environment: {@code container_[eEPOCH_]CLUSTER_APP_ATTEMPT_N}.
     */
    public static int yarnAttempt() {
        return yarnAttempt(System.getenv("CONTAINER_ID"));
    }

    static int yarnAttempt(String containerId) {
        if (containerId == null) {
            return 0;
        }
        Matcher m = CONTAINER_ID.matcher(containerId);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static final Pattern STANDALONE_HOST = Pattern.compile("spark://([^:/,]+)");
    private static final Pattern CONTAINER_ID = Pattern.compile("container_(?:e\\d+_)?\\d+_\\d+_(\\d+)_\\d+");
}
