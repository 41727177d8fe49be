package io.sparkcnn.jobs.spark;

import io.sparkcnn.workers.train.NativeThreads;
import org.apache.spark.SparkConf;

/**
 * The Spark settings every command starts from (train, evaluate, prepare, predict): the master, the application
 * jar shipped outside spark-submit, our progress instead of Spark's console bar, and the executors' OpenMP wait
 * policy. Each command adds its own on top.
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
        conf.setIfMissing("spark.driver.host", "127.0.0.1");
        return conf;
    }
}
