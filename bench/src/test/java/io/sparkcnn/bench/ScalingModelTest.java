package io.sparkcnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.bench.ScalingModel.Exchange;
import org.junit.jupiter.api.Test;

class ScalingModelTest {
    private static final double GBIT = 1e9 / 8;

    @Test
    void withoutCommunicationThroughputGrowsLinearlyWithWorkers() {
        ScalingModel free = new ScalingModel(400, 32, 10, 0, GBIT, 0, 0);
        for (Exchange e : Exchange.values()) {
            assertEquals(400, free.throughput(1, e), 1e-9);
            assertEquals(64 * 400, free.throughput(64, e), 1e-6);
            assertEquals(1.0, free.efficiency(64, e), 1e-12);
        }
    }

    @Test
    void averagingThroughTheDriverLosesEfficiencyAsWorkersAreAddedWhileAllReduceDoesNot() {
        // ResNet-50-like: 25.6 M parameters with Adam's two moments, 10 Gb/s, 2 images/s per CPU worker.
        ScalingModel resnet = new ScalingModel(2, 32, 10, 3 * 4 * 25.6e6, 10 * GBIT, 0.5, 0);
        assertTrue(resnet.efficiency(64, Exchange.DRIVER) < resnet.efficiency(4, Exchange.DRIVER));
        assertTrue(resnet.efficiency(64, Exchange.DIRECT) < resnet.efficiency(64, Exchange.DRIVER));
        assertEquals(resnet.efficiency(16, Exchange.ALL_REDUCE), resnet.efficiency(256, Exchange.ALL_REDUCE), 0.01);
    }

    @Test
    void aFlatReduceStopsScalingOnceTheDriverLinkIsBusierThanTheWorkers() {
        // LeNet-5-like: 431,080 parameters x 3 floats, fast workers: the driver's link saturates early.
        ScalingModel lenet = new ScalingModel(800, 32, 10, 3 * 4 * 431_080, 10 * GBIT, 0.05, 0);
        int half = lenet.halfEfficiencyWorkers(Exchange.DIRECT, 1024);
        assertTrue(half > 1 && half < 1024, "half efficiency at " + half);
        double ceiling = 10 * 32 / (3 * 4 * 431_080 / (10 * GBIT));
        assertTrue(lenet.throughput(1024, Exchange.DIRECT) < ceiling);
        assertTrue(lenet.halfEfficiencyWorkers(Exchange.DRIVER, 1024) > half);
    }

    @Test
    void schedulingOneTaskPerWorkerEachRoundLimitsEvenAnAllReduce() {
        ScalingModel scheduled = new ScalingModel(800, 32, 10, 3 * 4 * 431_080, 10 * GBIT, 0.05, 0.002);
        ScalingModel free = new ScalingModel(800, 32, 10, 3 * 4 * 431_080, 10 * GBIT, 0.05, 0);
        assertTrue(scheduled.efficiency(256, Exchange.ALL_REDUCE) < 0.6);
        assertTrue(free.efficiency(256, Exchange.ALL_REDUCE) > 0.8);
    }

    @Test
    void averagingLessOftenRaisesEfficiency() {
        ScalingModel every10 = new ScalingModel(2, 32, 10, 3 * 4 * 25.6e6, 10 * GBIT, 0.5, 0);
        ScalingModel every50 = new ScalingModel(2, 32, 50, 3 * 4 * 25.6e6, 10 * GBIT, 0.5, 0);
        assertTrue(every50.efficiency(32, Exchange.DRIVER) > every10.efficiency(32, Exchange.DRIVER));
    }

    @Test
    void rejectsANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new ScalingModel(0, 32, 10, 1, GBIT, 0, 0));
    }
}
