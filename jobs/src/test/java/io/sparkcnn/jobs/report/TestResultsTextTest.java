package io.sparkcnn.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The console's test results: aligned confusion matrices for few classes, the top confusions for many. */
class TestResultsTextTest {
    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /**
     * A real DL4J evaluation of {@code images} per class, each predicted right except that class c sends
     * {@code c} of its images to class (c + 1) mod n: counts of several digits next to single digits.
     */
    private static Evaluation evaluation(List<String> names, int images) {
        int classes = names.size();
        Evaluation e = new Evaluation(names, 5);
        List<float[]> labels = new ArrayList<>();
        List<float[]> outputs = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < images; i++) {
                float[] label = new float[classes];
                float[] output = new float[classes];
                label[c] = 1;
                output[i < c ? (c + 1) % classes : c] = 0.9f;
                for (int o = 0; o < classes; o++) {
                    output[o] += 0.1f / classes;
                }
                labels.add(label);
                outputs.add(output);
            }
        }
        INDArray l = Nd4j.create(labels.toArray(new float[0][]));
        INDArray o = Nd4j.create(outputs.toArray(new float[0][]));
        e.eval(l, o);
        return e;
    }

    @Test
    void theMatrixKeepsItsColumnsAlignedWhenACountOutgrowsItsColumn() {
        // The case: DL4J printed "2 0 0 010" once counts had more digits than its columns.
        String text = TestResultsText.of(evaluation(FASHION, 1000), FASHION);
        List<String> lines = text.lines().toList();
        int header = lines.indexOf("confusion matrix (rows: true class, columns: predicted class)");

        assertTrue(header >= 0, text);
        List<String> table = lines.subList(header + 1, header + 12);
        // Every row as long as the header, and every column's right edge at the same place.
        table.forEach(row -> assertEquals(table.get(0).length(), row.length(), "row: '" + row + "'\n" + text));
        String header0 = table.get(0);
        for (int p = 0; p < 10; p++) {
            int end = header0.indexOf(String.valueOf(p), header0.length() - (10 - p) * 6) + 1;
            for (String row : table.subList(1, 11)) {
                assertTrue(Character.isDigit(row.charAt(end - 1)) && (end == row.length() || row.charAt(end) == ' '),
                        "column " + p + " ends at " + end + " in: '" + row + "'");
            }
        }
        assertTrue(table.get(1).startsWith("0 T-shirt/top  1000     0"), table.get(1));
        assertTrue(table.get(10).startsWith("9 Ankle boot      9     0"), table.get(10));
        assertTrue(table.get(10).endsWith("     0   991"), table.get(10));
        assertTrue(text.contains("macro-averaged over 10 classes"), text);
        assertTrue(text.startsWith("top-5 accuracy 1.0000; "), text);
    }

    @Test
    void manyClassesGetTheirTopConfusionsInsteadOfAMatrix() {
        List<String> names = IntStream.range(0, 1000).mapToObj(c -> "n" + c).toList();
        long[][] counts = new long[1000][1000];
        for (int c = 0; c < 1000; c++) {
            counts[c][c] = 50;
        }
        counts[281][282] = 37;
        counts[282][281] = 12;
        counts[999][0] = 1_234;
        for (int c = 0; c < 30; c++) {
            counts[500 + c][600] = 2;
        }

        String text = TestResultsText.confusion(names, counts);
        List<String> lines = text.lines().toList();

        assertTrue(lines.get(0).startsWith("the 20 most frequent confusions of 1,000 classes"), text);
        assertEquals(21, lines.size(), text);
        assertEquals("  n999  n0    1,234   96.1%", lines.get(1));
        assertEquals("  n281  n282     37   42.5%", lines.get(2));
        assertEquals("  n282  n281     12   19.4%", lines.get(3));
        assertEquals("  n500  n600      2    3.8%", lines.get(4));
        assertFalse(text.contains("-----"), text);
    }

    @Test
    void aPerfectRunWithManyClassesSaysThereIsNoConfusion() {
        List<String> names = IntStream.range(0, 30).mapToObj(c -> "c" + c).toList();
        long[][] counts = new long[30][30];
        for (int c = 0; c < 30; c++) {
            counts[c][c] = 3;
        }

        assertTrue(TestResultsText.confusion(names, counts).endsWith("none: every test image was classified correctly"));
    }
}
