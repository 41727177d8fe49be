package io.sparkcnn.jobs.architectures.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.jobs.architectures.LeNet5;
import io.sparkcnn.workers.data.ImageShape;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

class SummaryTableTest {
    private final ModelSummary lenet = ModelSummary.of(
            LeNet5.configuration(new ImageShape(1, 28, 28), 10, new Sgd(0.1), 42), InputType.convolutional(28, 28, 1));

    @Test
    void everyTableLineEndsInTheSameColumn() {
        List<String> lines = lenet.render().lines().toList();
        List<String> table = lines.subList(0, lines.size() - 1);

        assertEquals(1, table.stream().mapToInt(String::length).distinct().count(), lenet.render());
    }

    @Test
    void theTableShowsEachLayerAndTheTotals() {
        String text = lenet.render();

        assertTrue(text.contains("conv1"), text);
        assertTrue(text.contains("24x24x20"), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("total") && l.contains("431,080")), text);
        assertTrue(text.endsWith("431,080 parameters, 2,293,000 multiply-adds and 76.9 KiB of activations per image\n"),
                text);
    }

    @Test
    void aChainHasNoInputsColumn() {
        assertTrue(!lenet.render().contains("inputs"));
    }
}
