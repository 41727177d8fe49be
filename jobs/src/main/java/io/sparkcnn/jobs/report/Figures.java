package io.sparkcnn.jobs.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn with XChart into PNG files (headless AWT: no display is needed). */
final class Figures {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;
    private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd)};

    private Figures() {}

    /** A curve: its name, x and y values (NaN values are left out), and whether to draw it as points. */
    record Curve(String name, double[] x, double[] y, boolean markers) {
        boolean isEmpty() {
            for (double v : y) {
                if (Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Draws the non-empty curves into {@code file}, against epochs on the x axis; returns false (writing nothing)
     * when all are empty.
     */
    static boolean lines(Path file, String title, String xTitle, String yTitle, List<Curve> curves, boolean logY) {
        XYChart chart = lineChart(title, xTitle, yTitle, curves, logY);
        if (chart == null) {
            return false;
        }
        save(chart, file);
        return true;
    }

    /** The chart {@link #lines} draws, or null when every curve is empty. */
    static XYChart lineChart(String title, String xTitle, String yTitle, List<Curve> curves, boolean logY) {
        List<Curve> drawn = curves.stream().filter(c -> !c.isEmpty()).toList();
        if (drawn.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        Styler styler = chart.getStyler();
        styleCommon(styler);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLegendVisible(drawn.size() > 1);
        chart.getStyler().setYAxisLogarithmic(logY && allPositive(drawn));
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setYAxisDecimalPattern(logY ? "0.###E0" : "0.####");
        int colour = 0;
        for (Curve c : drawn) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < c.y().length; i++) {
                if (Double.isFinite(c.y()[i]) && Double.isFinite(c.x()[i])) {
                    xs.add(c.x()[i]);
                    ys.add(c.y()[i]);
                }
            }
            XYSeries s = chart.addSeries(c.name(), xs, ys);
            s.setLineColor(SERIES[colour % SERIES.length]);
            s.setMarkerColor(SERIES[colour % SERIES.length]);
            colour++;
            if (c.markers()) {
                s.setMarker(SeriesMarkers.CIRCLE);
            } else {
                s.setMarker(SeriesMarkers.NONE);
                s.setLineWidth(1.2f);
            }
            if (xs.size() == 1) {
                s.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        if (!chart.getStyler().isYAxisLogarithmic()) {
            padYAxis(chart, drawn);
        }
        wholeEpochTicks(chart, drawn);
        return chart;
    }

    /**
     * Ticks the epoch axis at whole epochs. Left to itself XChart ticks evenly spaced x values at the data points
     * (0.01, 0.41, 0.82, ... for rounds), so the axis is set to whole-epoch ends and an invisible anchor series
     * makes the x values unevenly spaced, which sends XChart to its nice-number ticks (1, 2 or 5 times
     * a power of ten). The spacing hint then asks for a step of at least one epoch: XChart's first step is
     * {@code span * hint / plotWidth} rounded to a nice number, and the plot is narrower than the chart. A
     * one-epoch axis ticks 0, 0.5 and 1 (a step of one would leave no room under XChart's own limit). A label
     * function that blanks fractions is no way out: XChart loops until all labels differ.
     */
    private static void wholeEpochTicks(XYChart chart, List<Curve> curves) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Curve c : curves) {
            for (int i = 0; i < c.x().length; i++) {
                if (Double.isFinite(c.x()[i]) && Double.isFinite(c.y()[i])) {
                    min = Math.min(min, c.x()[i]);
                    max = Math.max(max, c.x()[i]);
                }
            }
        }
        double lo = Math.floor(min);
        double hi = Math.max(Math.ceil(max), lo + 1);
        chart.getStyler().setXAxisMin(lo);
        chart.getStyler().setXAxisMax(hi);
        chart.getStyler().setXAxisTickMarkSpacingHint((int) Math.ceil(WIDTH / Math.max(2, hi - lo)));
        double yAnchor = chart.getStyler().getYAxisMin() != null ? chart.getStyler().getYAxisMin()
                : firstFinite(curves);
        // XChart adds the axis ends to the data's x values before it tests their spacing; a point between the ends
        // that no round sits at (an irrational share of the span) is what breaks the even spacing.
        double between = lo + (hi - lo) * (Math.sqrt(2) - 1);
        XYSeries anchor = chart.addSeries(" ", new double[] {lo, between, hi},
                new double[] {yAnchor, yAnchor, yAnchor});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setShowInLegend(false);
    }

    private static double firstFinite(List<Curve> curves) {
        for (Curve c : curves) {
            for (double v : c.y()) {
                if (Double.isFinite(v)) {
                    return v;
                }
            }
        }
        return 0;
    }


    /**
     * A tenth of the data's range above and below it: XChart ticks only the data's extremes when a curve has
     * two or three points, which leaves a y axis with two labels.
     */
    private static void padYAxis(XYChart chart, List<Curve> curves) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Curve c : curves) {
            for (double v : c.y()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double pad = max > min ? (max - min) / 10 : Math.max(Math.abs(max) / 10, 1e-3);
        chart.getStyler().setYAxisMin(min >= 0 ? Math.max(0, min - pad) : min - pad);
        chart.getStyler().setYAxisMax(max + pad);
    }

    /**
     * The confusion matrix as a heat map: rows are the true classes (the first at the top), columns the predicted
     * ones; a cell's colour and number are the share of its row, so classes of different sizes compare, and the
     * diagonal reads as each class's recall. XChart's HeatMapChart does this well enough: class names on both
     * axes, a value in every cell, a colour legend.
     */
    static final int HEAT_MAP_MAX_CLASSES = 30;

    /**
     * The confusion matrix as a heat map (see {@link #confusion(Path, List, long[][], int[])}): whole for up to
     * {@link #HEAT_MAP_MAX_CLASSES} classes, else for the {@link #HEAT_MAP_MAX_CLASSES} most confused (a
     * 1,000-class matrix has no readable cell at any size). Returns the classes drawn, by index.
     */
    static int[] confusion(Path file, List<String> classes, long[][] counts) {
        int[] shown = mostConfused(counts, HEAT_MAP_MAX_CLASSES);
        confusion(file, classes, counts, shown);
        return shown;
    }

    /**
     * The {@code k} classes with the most confusions (their wrongly predicted images plus the images wrongly
     * predicted as them; ties to the lower index), in index order; all of them when there are at most k.
     */
    static int[] mostConfused(long[][] counts, int k) {
        int n = counts.length;
        if (n <= k) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        long[] errors = new long[n];
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (a != p) {
                    errors[a] += counts[a][p];
                    errors[p] += counts[a][p];
                }
            }
        }
        return java.util.stream.IntStream.range(0, n).boxed()
                .sorted(java.util.Comparator.comparingLong((Integer c) -> errors[c]).reversed()
                        .thenComparingInt(c -> c))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    private static void confusion(Path file, List<String> allClasses, long[][] allCounts, int[] shown) {
        int n = shown.length;
        List<String> classes = new ArrayList<>();
        for (int c : shown) {
            classes.add(allClasses.get(c));
        }
        int side = Math.max(460, Math.min(1100, 160 + 56 * n));
        String title = n == allClasses.size() ? "Confusion matrix (% of each true class)"
                : String.format(java.util.Locale.ROOT, "The %d most confused of %,d classes (%% of each true class)",
                        n, allClasses.size());
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 120).height(side)
                .title(title).xAxisTitle("predicted").yAxisTitle("true")
                .build();
        styleCommon(chart.getStyler());
        chart.getStyler().setShowValue(n <= 30);
        chart.getStyler().setHeatMapValueDecimalPattern("0");
        chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, n <= 12 ? 12 : 9));
        chart.getStyler().setValueFontColor(new Color(0x202020));
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x9ecae1), new Color(0x3182bd)});
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(100);
        chart.getStyler().setXAxisLabelRotation(n > 4 ? 45 : 0);
        chart.getStyler().setLegendVisible(true);
        List<String> rows = new ArrayList<>(classes);
        java.util.Collections.reverse(rows);
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            // The share of the true class's images, all of them, whichever columns are drawn.
            long total = 0;
            for (long c : allCounts[shown[actual]]) {
                total += c;
            }
            for (int predicted = 0; predicted < n; predicted++) {
                long count = allCounts[shown[actual]][shown[predicted]];
                double share = total == 0 ? 0 : 100.0 * count / total;
                cells.add(new Number[] {predicted, n - 1 - actual, share});
            }
        }
        chart.addSeries("share of true class", classes, rows, cells);
        save(chart, file);
    }

    private static void styleCommon(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setChartTitleBoxVisible(false);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setPlotBorderVisible(false);
        styler.setAntiAlias(true);
    }

    private static boolean allPositive(List<Curve> curves) {
        for (Curve c : curves) {
            for (double v : c.y()) {
                if (Double.isFinite(v) && v <= 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void save(Chart<?, ?> chart, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
