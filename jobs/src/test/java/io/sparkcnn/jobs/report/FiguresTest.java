package io.sparkcnn.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.jobs.report.Figures.Curve;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;
import org.knowm.xchart.internal.chartpart.Chart;

/** The report's charts as drawn: which labels XChart puts on their axes. */
class FiguresTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Per-round positions as the report computes them: epoch - 1 + round / rounds. */
    private static Curve perRound(int epochs, int rounds) {
        double[] x = new double[epochs * rounds];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / rounds + (i % rounds + 1.0) / rounds;
            y[i] = 2.0 / (1 + 0.01 * i);
        }
        return new Curve("training, per round", x, y, false);
    }

    @Test
    void perRoundFiguresLabelWholeEpochs() throws Exception {
        // The case: 94 rounds an epoch labelled 0.01, 0.44, 0.86, ... before.
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8"), xTickLabels(perRound(8, 94)));
        assertEquals(List.of("0", "1", "2", "3"), xTickLabels(perRound(3, 5)));
        // With the epoch means drawn on top, as in loss.png.
        Curve means = new Curve("epoch mean", new double[] {1, 2, 3}, new double[] {1, 0.8, 0.7}, true);
        assertEquals(List.of("0", "1", "2", "3"), xTickLabels(perRound(3, 40), means));
    }

    @Test
    void aOneEpochRunIsLabelledAtItsStartAndEndOnly() throws Exception {
        List<String> labels = xTickLabels(perRound(1, 94)).stream().filter(l -> !l.isBlank()).toList();

        assertEquals(List.of("0", "1"), labels);
    }

    @Test
    void aLongRunIsLabelledAtWholeEpochsWithoutXChartSearchingForMinutes() {
        // Before: XChart's tick search over equally spaced per-round points ran for many minutes on such runs.
        // The timeout guards against that hang coming back; it is not a speed measurement.
        List<String> labels = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> xTickLabels(perRound(40, 600))).stream().filter(l -> !l.isBlank()).toList();

        assertTrue(labels.size() >= 3, labels.toString());
        assertEquals("0", labels.get(0));
        assertEquals("40", labels.get(labels.size() - 1));
        int step = Integer.parseInt(labels.get(1));
        for (int i = 0; i < labels.size(); i++) {
            assertEquals(i * step, Integer.parseInt(labels.get(i)), "whole epochs, evenly spaced: " + labels);
        }
    }

    /**
     * The x labels XChart chose when painting the chart. XChart keeps its tick calculator internal; reading it
     * back is the way to test the labels short of reading them off the PNG.
     */
    private static List<String> xTickLabels(Curve... curves) throws Exception {
        XYChart chart = Figures.lineChart("Loss", "epoch", "loss", List.of(curves), false);
        BufferedImage image = new BufferedImage(760, 380, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        chart.paint(g, 760, 380);
        g.dispose();
        Method xAxis = Chart.class.getDeclaredMethod("getXAxis");
        xAxis.setAccessible(true);
        Object axis = xAxis.invoke(chart);
        Method ticks = axis.getClass().getDeclaredMethod("getAxisTickCalculator");
        ticks.setAccessible(true);
        return ((AxisTickCalculator) ticks.invoke(axis)).getTickLabels();
    }
}
