package io.sparkcnn.driver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AveragingScheduleTest {
    private static final AveragingSchedule ADAPTIVE = new AveragingSchedule(8, 0.3, 0.8);

    @Test
    void agreeingWorkersDoubleTheBlocksPerRoundUpToTheLimit() {
        assertEquals(2, ADAPTIVE.next(1, 0.1));
        assertEquals(4, ADAPTIVE.next(2, 0.1));
        assertEquals(8, ADAPTIVE.next(4, 0.0));
        assertEquals(8, ADAPTIVE.next(8, 0.1), "clamped at max-multiple");
    }

    @Test
    void driftingWorkersHalveTheBlocksPerRoundDownToOne() {
        assertEquals(4, ADAPTIVE.next(8, 0.9));
        assertEquals(1, ADAPTIVE.next(2, 5.0));
        assertEquals(1, ADAPTIVE.next(1, Double.POSITIVE_INFINITY), "clamped at 1");
    }

    @Test
    void aSpreadBetweenTheThresholdsOrNotMeasuredKeepsTheBlocksPerRound() {
        assertEquals(4, ADAPTIVE.next(4, 0.3), "low itself is not below low");
        assertEquals(4, ADAPTIVE.next(4, 0.5));
        assertEquals(4, ADAPTIVE.next(4, 0.8), "high itself is not above high");
        assertEquals(4, ADAPTIVE.next(4, Double.NaN));
    }

    @Test
    void theFixedScheduleStaysAtOneWhateverTheSpread() {
        for (double spread : new double[] {0, 1e-9, 0.5, 10, Double.POSITIVE_INFINITY, Double.NaN}) {
            assertEquals(1, AveragingSchedule.FIXED.next(1, spread), "spread " + spread);
        }
        assertEquals(1, AveragingSchedule.FIXED.clamp(4), "a resumed adaptive run continued as fixed");
    }

    @Test
    void blocksPerRoundFromAnotherConfigurationAreClampedIntoRange() {
        assertEquals(8, ADAPTIVE.clamp(16));
        assertEquals(1, ADAPTIVE.clamp(0));
        assertEquals(4, ADAPTIVE.clamp(4));
    }

    @Test
    void aLimitThatIsNotAPowerOfTwoOrThresholdsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AveragingSchedule(6, 0.3, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new AveragingSchedule(0, 0.3, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new AveragingSchedule(8, 0.8, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new AveragingSchedule(8, -0.1, 0.3));
    }
}
