package io.sparkcnn.jobs.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionTest {
    @Test
    void theTopClassesComeMostProbableFirstWithTiesInIndexOrder() {
        Prediction p = Prediction.top("a.png", new float[] {0.1f, 0.4f, 0.1f, 0.4f}, List.of("w", "x", "y", "z"), 3);

        assertEquals(List.of("x", "z", "w"), p.classes());
        assertArrayEquals(new double[] {0.4f, 0.4f, 0.1f}, p.probabilities(), 0);
    }

    @Test
    void csvCellsWithCommasOrQuotesAreQuotedAndAFailedImageKeepsItsRow() {
        Prediction p = Prediction.top("dir,1/a.png", new float[] {0.25f, 0.75f}, List.of("say \"hi\"", "T-shirt/top"), 2);

        assertEquals("\"dir,1/a.png\",T-shirt/top,0.750000,\"say \"\"hi\"\"\",0.250000,", p.csv(2));
        assertEquals("b.jpg,,,,,corrupt: bad", Prediction.failed("b.jpg", "corrupt: bad").csv(2));
    }
}
