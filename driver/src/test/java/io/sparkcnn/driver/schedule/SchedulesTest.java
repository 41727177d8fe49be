package io.sparkcnn.driver.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.engine.LearningRateSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    void stepDecayDividesByTenAtEachGivenEpoch() {
        LearningRateSchedule s = Schedules.step(0.01, List.of(3, 5), 0.1);
        assertEquals(0.01, s.rate(1, 0), 1e-15);
        assertEquals(0.01, s.rate(2, 999), 1e-15);
        assertEquals(0.001, s.rate(3, 0), 1e-15);
        assertEquals(0.001, s.rate(4, 0), 1e-15);
        assertEquals(0.0001, s.rate(5, 0), 1e-15);
        assertEquals(0.0001, s.rate(9, 0), 1e-15);
    }

    @Test
    void exponentialDecayMultipliesEveryEpoch() {
        LearningRateSchedule s = Schedules.exponential(0.1, 0.5);
        assertEquals(0.1, s.rate(1, 0), 1e-15);
        assertEquals(0.05, s.rate(2, 0), 1e-15);
        assertEquals(0.0125, s.rate(4, 0), 1e-15);
    }

    @Test
    void cosineStartsAtTheBaseIsHalfwayAtHalfTimeAndEndsAtTheFloor() {
        LearningRateSchedule s = Schedules.cosine(0.1, 0.001, 1000);
        assertEquals(0.1, s.rate(1, 0), 1e-12);
        assertEquals((0.1 + 0.001) / 2, s.rate(3, 500), 1e-12);
        assertEquals(0.001, s.rate(5, 1000), 1e-12);
        assertEquals(0.001, s.rate(6, 5000), 1e-12, "stays at the floor past the end");
        assertTrue(s.rate(2, 250) > s.rate(2, 260), "decreasing");
    }

    @Test
    void warmupRisesLinearlyThenHandsOver() {
        LearningRateSchedule s = Schedules.warmup(LearningRateSchedule.constant(0.4), 100);
        assertEquals(0.004, s.rate(1, 0), 1e-12, "the first step gets 1/100, not 0");
        assertEquals(0.2, s.rate(1, 49), 1e-12);
        assertEquals(0.4, s.rate(2, 99), 1e-12);
        assertEquals(0.4, s.rate(3, 400), 1e-12);
        assertEquals(0.4, Schedules.warmup(LearningRateSchedule.constant(0.4), 0).rate(1, 0), 1e-12, "no warm-up");
    }

    @Test
    void plateauLowersTheRateAfterPatienceEpochsWithoutImprovementAndRestores() {
        ReduceOnPlateau s = new ReduceOnPlateau(0.1, 0.5, 0.02, 2);
        assertFalse(s.observe(0.80));
        assertFalse(s.observe(0.85));
        assertFalse(s.observe(0.84), "one epoch without improvement is within patience");
        assertTrue(s.observe(0.85), "two epochs without a better value");
        assertEquals(0.05, s.rate(5, 0), 1e-15);
        assertFalse(s.observe(0.86));
        s.observe(0.80);
        s.observe(0.80);
        assertEquals(0.025, s.rate(8, 0), 1e-15);
        s.observe(0.80);
        s.observe(0.80);
        assertEquals(0.02, s.rate(10, 0), 1e-15, "never below the floor");

        ReduceOnPlateau resumed = new ReduceOnPlateau(0.1, 0.5, 0.02, 2);
        resumed.restore(s.state());
        assertEquals(s.state(), resumed.state());
        assertEquals(0.02, resumed.rate(11, 0), 1e-15);
    }
}
