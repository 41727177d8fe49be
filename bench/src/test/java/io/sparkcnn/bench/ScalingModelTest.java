package io.sparkcnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingModelTest {
    private static final double GBIT = 1e9 / 8;
    private static final double LENET = 5.17e6;
    private static final double RESNET18 = 134.8e6;

    /** Rounds measured at W = 1, 2, 4 and the two state sizes of the bench's exchange rows, from known terms. */
    private static List<RoundCost.Measured> rounds(double fixed, double perWorker, double perMb, double perMbWorker,
                                                   double driverStates, double driverStatesPerWorker) {
        List<RoundCost.Measured> rounds = new ArrayList<>();
        for (double s : new double[] {LENET, RESNET18}) {
            for (int w : new int[] {1, 2, 4}) {
                double seconds = fixed + perWorker * w + (perMb + perMbWorker * w) * s / 1e6;
                // The executors' side: 0.1 s + 1 ms per MB with one worker, inflated by sharing the cores beyond.
                double executor = (0.1 + 0.001 * s / 1e6) * (w == 1 ? 1 : w);
                rounds.add(new RoundCost.Measured(w, s, seconds, executor, (driverStates + driverStatesPerWorker * w)
                        * s));
            }
        }
        return rounds;
    }

    @Test
    void theFitRecoversEachTermOfARoundsCostAndTheDriversBytes() {
        RoundCost tree = RoundCost.fit("tree", rounds(0.05, 0.01, 0.004, 0.002, 0, 1));

        assertEquals(0.05, tree.fixed(), 1e-9);
        assertEquals(0.01, tree.perWorker(), 1e-9);
        assertEquals(0.004, tree.perMegabyte(), 1e-9);
        assertEquals(0.002, tree.perMegabyteWorker(), 1e-9);
        assertEquals(0, tree.rmsResidual(), 1e-9);
        assertEquals(0.1, tree.executorFixed(), 1e-9);
        assertEquals(0.001, tree.executorPerMegabyte(), 1e-9);
        assertEquals(8, tree.statesIntoDriver(8), 1e-9);
        assertEquals(0.05 + 0.01 * 8 + (0.004 + 0.002 * 8) * 100 + 0.1 + 0.001 * 100, tree.seconds(8, 100e6), 1e-9);
    }

    @Test
    void aNegativeFittedTermCountsAsZeroWhenTheModelExtrapolates() {
        RoundCost noisy = RoundCost.fit("tree", rounds(-0.02, 0.01, 0.004, 0, 0, 1));

        assertTrue(noisy.fixed() < 0);
        assertEquals(0.01 * 64 + 0.1, noisy.seconds(64, 0), 1e-9);
        assertTrue(noisy.toString().contains("negative terms count as 0"), noisy.toString());
    }

    @Test
    void theFitNeedsTheBenchsSixRunsOrAtLeastFive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RoundCost.fit("all-reduce", rounds(0.05, 0, 0, 0, 1, 0).subList(0, 4)));
        assertTrue(e.getMessage().contains("scripts/bench --rows y"), e.getMessage());
    }

    @Test
    void withoutCostsThroughputGrowsLinearlyWithWorkers() {
        RoundCost free = new RoundCost("free", 0, 0, 0, 0, 0, 0, 0, 6, 0, 0);
        ScalingModel m = new ScalingModel(400, 32, 10, 0, GBIT);

        assertEquals(400, m.throughput(1, free), 1e-9);
        assertEquals(64 * 400, m.throughput(64, free), 1e-6);
        assertEquals(4097, m.workersBelow(0.9, free, 4096), "never below 90% up to 4,096 executors");
    }

    @Test
    void theTreesBytesPerWorkerIntoTheDriverStopItScalingALargeStateWhereTheAllReduceGoesOn() {
        RoundCost tree = RoundCost.fit("tree", rounds(0.05, 0.002, 0.0005, 0.0005, 0, 1));
        RoundCost allReduce = RoundCost.fit("all-reduce", rounds(0.08, 0.002, 0.0015, 0, 1, 0));
        ScalingModel resnet = new ScalingModel(5, 32, 10, 307e6, 10 * GBIT);

        assertTrue(resnet.efficiency(4, tree) > resnet.efficiency(64, tree));
        assertTrue(resnet.efficiency(64, allReduce) > resnet.efficiency(64, tree));
        assertTrue(resnet.workersBelow(0.5, tree, 4096) < resnet.workersBelow(0.5, allReduce, 4096));
        assertTrue(resnet.workersBelow(0.9, tree, 4096) <= resnet.workersBelow(0.5, tree, 4096));
        // The driver's link: the broadcast out and W results in for the tree, 1 + 1 for the all-reduce.
        assertEquals(65 * 307e6 / (10 * GBIT), resnet.linkSeconds(64, tree), 1e-9);
        assertEquals(2 * 307e6 / (10 * GBIT), resnet.linkSeconds(64, allReduce), 1e-9);
    }

    @Test
    void averagingLessOftenRaisesEfficiency() {
        RoundCost tree = RoundCost.fit("tree", rounds(0.05, 0.002, 0.004, 0.004, 0, 1));
        ScalingModel every10 = new ScalingModel(450, 32, 10, LENET, 10 * GBIT);
        ScalingModel every50 = new ScalingModel(450, 32, 50, LENET, 10 * GBIT);

        assertTrue(every50.efficiency(32, tree) > every10.efficiency(32, tree));
    }

    @Test
    void aRoundsMeasuredCostsAreTheMediansOfTheDriversAndTheExecutorsPhasesWithoutTheFirstRound() throws Exception {
        String phases = "{\"steps\": [9, 0.5, 0.5, 0.5], \"spark\": [5, 0.1, 0.3, 0.2],"
                + " \"averaging\": [5, 0.01, 0.01, 0.04], \"state_fetch\": [3, 0.02, 0.06, 0.04],"
                + " \"listeners_before\": [0, 7, 7, 7]}";
        var node = new ObjectMapper().readTree(phases);

        assertEquals(0.24, Scaling.median(node, Scaling.DRIVER_PHASES), 1e-12);
        assertEquals(0.04, Scaling.median(node, Scaling.EXECUTOR_PHASES), 1e-12);
    }

    @Test
    void rejectsANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new ScalingModel(0, 32, 10, 1, GBIT));
    }
}
