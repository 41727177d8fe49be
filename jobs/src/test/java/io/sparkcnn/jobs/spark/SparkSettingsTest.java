package io.sparkcnn.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The driver stays on loopback only where every executor is on this machine. */
class SparkSettingsTest {
    @Test
    void localModeAndTheScriptedClusterKeepTheDriverOnLoopback() {
        assertEquals("127.0.0.1", SparkSettings.forCommand("t", "local[2]", "local[1]").get("spark.driver.host"));
        assertEquals("127.0.0.1", SparkSettings.forCommand("t", "spark://127.0.0.1:7077", "local[1]")
                .get("spark.driver.host"));
        assertTrue(SparkSettings.isLoopback("spark://localhost:7077"));
    }

    @Test
    void yarnKubernetesAndRemoteMastersLeaveTheDriverHostToSpark() {
        for (String master : new String[] {"yarn", "k8s://https://10.0.0.1:6443", "spark://master.example.org:7077",
                "spark://10.1.2.3:7077"}) {
            SparkConf conf = SparkSettings.forCommand("t", master, "local[1]");
            assertFalse(conf.contains("spark.driver.host"), master + ": " + conf.get("spark.driver.host", ""));
        }
    }

    @Test
    void theYarnAttemptComesFromTheContainerId() {
        assertEquals(0, SparkSettings.yarnAttempt(null));
        assertEquals(1, SparkSettings.yarnAttempt("container_1733083200000_0001_01_000001"));
        assertEquals(2, SparkSettings.yarnAttempt("container_e17_1733083200000_0042_02_000001"));
        assertEquals(0, SparkSettings.yarnAttempt("not-a-container"));
    }
}
