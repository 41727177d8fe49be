package io.sparkcnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RaceTest {
    @Test
    void aRunStopsAtTheFirstEvaluationThatReachesTheTargetAndRecordsItsTrainingTime() {
        Race.Log log = new Race.Log(new Race(0.9, 600, 1000));
        assertFalse(log.due(999));
        assertTrue(log.due(1000));
        assertFalse(log.record(10.0, 1000, 0.85));
        assertFalse(log.due(1500));
        assertTrue(log.record(21.5, 2000, 0.91));
        Map<String, Object> m = log.metrics();
        assertEquals(21.5, m.get("seconds_to_target"));
        assertEquals(2000L, m.get("examples_to_target"));
        assertNull(m.get("not_reached_in_seconds"));
        assertEquals(2, ((List<?>) m.get("accuracy_curve")).size());
    }

    @Test
    void aRunThatRunsOutOfTimeReportsTheTimeItTrainedAsALowerBound() {
        Race.Log log = new Race.Log(new Race(0.9, 100, 1000));
        assertFalse(log.outOfTime(99.9));
        assertTrue(log.outOfTime(100));
        assertTrue(log.record(100.2, 3000, 0.88));
        Map<String, Object> m = log.metrics();
        assertNull(m.get("seconds_to_target"));
        assertEquals(100.2, m.get("not_reached_in_seconds"));
    }

    @Test
    void withoutARaceNothingIsEvaluatedAndNothingIsReported() {
        Race.Log log = new Race.Log(Race.OFF);
        assertFalse(log.due(Long.MAX_VALUE / 2));
        assertFalse(log.outOfTime(1e9));
        assertTrue(log.metrics().isEmpty());
    }
}
