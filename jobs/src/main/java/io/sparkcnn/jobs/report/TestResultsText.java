package io.sparkcnn.jobs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * The test results as the console shows them: the averaged metrics and the confusion matrix in aligned columns,
 * or, with more classes than a line holds, the most frequent confusions. Our own because DL4J's
 * {@code Evaluation.stats} runs the columns together once a count has more digits than its column and prints a
 * line of dashes with no content for 1,000 classes.
 */
public final class TestResultsText {
    /** Up to this many classes the matrix is printed whole (20 columns of 5 digits fit 140 characters). */
    static final int MATRIX_MAX_CLASSES = 20;
    /** With more classes, this many of the largest off-diagonal cells are listed instead. */
    static final int TOP_CONFUSIONS = 20;
    private static final int NAME_WIDTH = 20;

    private TestResultsText() {}

    /** The macro-averaged metrics, top-N accuracy when DL4J measured it, and the confusion text. */
    public static String of(Evaluation e, List<String> classes) {
        int n = classes.size();
        long[][] counts = new long[n][n];
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                counts[actual][predicted] = e.getConfusion().getCount(actual, predicted);
            }
        }
        StringBuilder b = new StringBuilder();
        if (e.getTopN() > 1) {
            b.append(String.format(Locale.ROOT, "top-%d accuracy %.4f; ", e.getTopN(), e.topNAccuracy()));
        }
        b.append(String.format(Locale.ROOT, "precision %.4f, recall %.4f, F1 %.4f (macro-averaged over %d classes)%n",
                e.precision(), e.recall(), e.f1(), n));
        return b.append(confusion(classes, counts)).toString();
    }

    /** The matrix (rows: true class, columns: predicted) for up to {@link #MATRIX_MAX_CLASSES}, else the top list. */
    static String confusion(List<String> classes, long[][] counts) {
        return classes.size() <= MATRIX_MAX_CLASSES ? matrix(classes, counts) : topConfusions(classes, counts);
    }

    /**
     * Columns headed by class index, every count right-aligned to the widest count or index, and each row led
     * by its index and (shortened) name, so that the columns stay aligned whatever the counts' digits.
     */
    static String matrix(List<String> classes, long[][] counts) {
        int n = classes.size();
        long max = 0;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        int cell = Math.max(String.valueOf(max).length(), String.valueOf(n - 1).length());
        int index = String.valueOf(n - 1).length();
        int name = 0;
        for (String c : classes) {
            name = Math.max(name, shorten(c).length());
        }
        String lead = " ".repeat(index + 1 + name);
        StringBuilder b = new StringBuilder("confusion matrix (rows: true class, columns: predicted class)")
                .append(System.lineSeparator()).append(lead);
        for (int p = 0; p < n; p++) {
            b.append("  ").append(pad(String.valueOf(p), cell));
        }
        for (int a = 0; a < n; a++) {
            b.append(System.lineSeparator()).append(pad(String.valueOf(a), index)).append(' ')
                    .append(padRight(shorten(classes.get(a)), name));
            for (int p = 0; p < n; p++) {
                b.append("  ").append(pad(String.valueOf(counts[a][p]), cell));
            }
        }
        return b.toString();
    }

    /** The {@link #TOP_CONFUSIONS} largest off-diagonal cells: true class, predicted class, count, row share. */
    static String topConfusions(List<String> classes, long[][] counts) {
        record Cell(int actual, int predicted, long count) {}
        List<Cell> cells = new ArrayList<>();
        long[] rowTotal = new long[classes.size()];
        for (int a = 0; a < counts.length; a++) {
            for (int p = 0; p < counts[a].length; p++) {
                rowTotal[a] += counts[a][p];
                if (a != p && counts[a][p] > 0) {
                    cells.add(new Cell(a, p, counts[a][p]));
                }
            }
        }
        List<Cell> top = cells.stream().sorted(Comparator.comparingLong(Cell::count).reversed()
                .thenComparingInt(Cell::actual).thenComparingInt(Cell::predicted)).limit(TOP_CONFUSIONS).toList();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "the %d most frequent confusions of %,d classes (true class, predicted class, images, share of"
                        + " the true class's images); metrics.json has the whole matrix", top.size(),
                classes.size()));
        if (top.isEmpty()) {
            return b.append(System.lineSeparator()).append("  none: every test image was classified correctly")
                    .toString();
        }
        int trueWidth = 0;
        int predictedWidth = 0;
        int countWidth = 0;
        for (Cell c : top) {
            trueWidth = Math.max(trueWidth, shorten(classes.get(c.actual())).length());
            predictedWidth = Math.max(predictedWidth, shorten(classes.get(c.predicted())).length());
            countWidth = Math.max(countWidth, String.format(Locale.ROOT, "%,d", c.count()).length());
        }
        for (Cell c : top) {
            b.append(System.lineSeparator()).append("  ")
                    .append(padRight(shorten(classes.get(c.actual())), trueWidth)).append("  ")
                    .append(padRight(shorten(classes.get(c.predicted())), predictedWidth)).append("  ")
                    .append(pad(String.format(Locale.ROOT, "%,d", c.count()), countWidth))
                    .append(String.format(Locale.ROOT, "  %5.1f%%", 100.0 * c.count() / rowTotal[c.actual()]));
        }
        return b.toString();
    }

    private static String shorten(String name) {
        return name.length() <= NAME_WIDTH ? name : name.substring(0, NAME_WIDTH - 1) + "~";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
