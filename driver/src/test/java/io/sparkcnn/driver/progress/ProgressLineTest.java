package io.sparkcnn.driver.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.engine.RoundStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    /** Round {@code round} of {@code rounds} in epoch 3 of 8: 2,048 images in 2 s, loss 0.4321. */
    private static RoundStats round(int round, int rounds) {
        return new RoundStats(3, 8, round, rounds, 2, 2048, 0.4321, 2_000_000_000L, 1_500_000_000L, 1000, 0.01, 1, 0.5,
                1);
    }

    @Test
    void theBarShowsBlocksSpeedLossAndBothEtas() {
        String bar = ProgressLine.bar(round(12, 94), 164, 1354);

        assertEquals("epoch 3/8 [===>                          ] 12/94  1,024 img/s  loss 0.4321"
                + "  ETA 2m44s (run 22m34s)", bar);
    }

    @Test
    void theBarFillsAsTheEpochAdvancesAndTheLastRoundOfTheRunSaysDone() {
        assertTrue(ProgressLine.bar(round(47, 94), 0, 0).contains("[===============>              ]"));
        assertTrue(ProgressLine.bar(round(94, 94), 0, 600).contains("[==============================] 94/94"));
        assertTrue(ProgressLine.bar(round(94, 94), 0, 600).endsWith("run ETA 10m00s"));
        RoundStats last = new RoundStats(8, 8, 5, 5, 2, 2048, 0.1, 2_000_000_000L, 1_000_000_000L, 1000, 0.01, 1, 0.5,
                1);
        assertTrue(ProgressLine.bar(last, 0, 0).endsWith("done"), ProgressLine.bar(last, 0, 0));
    }

    @Test
    void aPlainLineNamesEpochBlockShareAndEta() {
        assertEquals("epoch 3/8  block 47/94 ( 50%)  loss 0.4321  lr 0.0100  1,024 img/s  overhead 25%  ETA 1h01m",
                ProgressLine.line(round(47, 94), 3660));
    }

    @Test
    void plainLinesComeAtTheEpochsEndsAndEveryTenthOfIt() {
        List<Integer> lined = new ArrayList<>();
        int last = 0;
        for (int r = 1; r <= 94; r++) {
            if (ProgressLine.lineDue(r, 94, last, 1.0)) {
                lined.add(r);
                last = r;
            }
        }
        // The first round, the round entering each tenth (10, 19, 29, ...), and the last.
        assertEquals(List.of(1, 10, 19, 29, 38, 47, 57, 66, 76, 85, 94), lined);
    }

    @Test
    void aLongRoundGetsALineWhateverItsShareAndShortEpochsGetOneEveryRound() {
        assertFalse(ProgressLine.lineDue(12, 1000, 11, 29.9));
        assertTrue(ProgressLine.lineDue(12, 1000, 11, 30.0));
        assertTrue(IntStream.rangeClosed(1, 6).allMatch(r -> ProgressLine.lineDue(r, 6, r - 1, 0)));
    }

    @Test
    void aRoundOfSeveralBlocksSaysHowManyAndTheSpreadAndTheEtaCountsBlocks() {
        // Adaptive averaging: a round of 4 blocks of tau steps ending at block 48 of 94, in 2 s.
        RoundStats four = new RoundStats(3, 8, 48, 94, 2, 2048, 0.4321, 2_000_000_000L, 1_500_000_000L, 1000, 0.01,
                4, 0.0123, 8);

        assertEquals("epoch 3/8  block 48/94 ( 51%)  round of 4 blocks, spread 0.0123  loss 0.4321  lr 0.0100  1,024 img/s"
                + "  overhead 25%  ETA 1m00s", ProgressLine.line(four, 60));
        assertFalse(four.firstOfEpoch());
        assertTrue(new RoundStats(3, 8, 4, 94, 2, 2048, 0.4, 1, 1, 1, 0.01, 4, 0.1, 4).firstOfEpoch());
    }

    @Test
    void theEtaIsTheMeanPaceTimesWhatIsLeft() {
        assertEquals(90.0, ProgressLine.eta(30, 10, 30), 1e-9);
        assertEquals(0.0, ProgressLine.eta(0, 0, 30), 1e-9);
    }

    @Test
    void onAConsoleTheBarIsRedrawnInPlaceAndAMessageDoesNotBreakIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        reporter.onRound(round(1, 3), null, null);
        reporter.onRound(round(2, 3), null, null);
        reporter.say("a message");
        reporter.onRound(round(3, 3), null, null);
        String printed = bytes.toString(StandardCharsets.UTF_8);

        String[] lines = printed.split(System.lineSeparator(), -1);
        assertEquals(3, lines.length, "the message, the finished bar, and an empty rest:\n" + printed);
        String message = lines[0].substring(lines[0].lastIndexOf('\r') + 1);
        assertEquals("a message", message.strip(), "written over the bar, which it blanks out: " + lines[0]);
        assertTrue(message.length() >= ProgressLine.bar(round(2, 3), 0, 0).length(), lines[0]);
        assertTrue(lines[1].contains("] 3/3"), "the finished bar stays on its own line: " + lines[1]);
        assertEquals("", lines[2]);
    }

    @Test
    void inALogEveryLineEndsAndNoCarriageReturnIsWritten() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        for (int r = 1; r <= 40; r++) {
            reporter.onRound(round(r, 40), null, null);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertFalse(printed.contains("\r"), printed);
        assertEquals(11, printed.lines().count(), "first, each tenth, last:\n" + printed);
    }

    @Test
    void theEtaComesFromRecentRoundsNotFromTheWarmUpRound() throws InterruptedException {
        // The case: round 1 carries a minute of warm-up, the rounds after it take milliseconds.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (int r = 1; r <= 40; r++) {
            long wall = r == 1 ? 60_000_000_000L : 20_000_000L;
            reporter.onRound(new RoundStats(1, 1, r, 40, 2, 2048, 0.5, wall, wall / 2, 1000, 0.01, 1, 0.5, 1), null,
                    null);
            Thread.sleep(20);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertTrue(lines.get(0).endsWith("ETA estimating"), "nothing to go by after the warm-up alone: " + lines);
        // 28 rounds of ~20 ms are left at round 12; the first round's minute in the mean would make it 2m20s.
        String atTwelve = lines.stream().filter(l -> l.contains("block 12/40")).findFirst().orElseThrow();
        assertTrue(atTwelve.matches(".*ETA \\ds$"), "a few seconds at most: " + atTwelve);
    }

    @Test
    void thePaceFollowsTheLastRoundsOfItsWindow() {
        RecentPace pace = new RecentPace();
        long t = 0;
        pace.add(t += 60_000_000_000L, 60_000_000_000L, 1);
        assertTrue(pace.warmingUp());
        assertTrue(Double.isNaN(pace.etaSeconds(10)));
        for (int i = 0; i < RecentPace.WINDOW; i++) {
            pace.add(t += 4_000_000_000L, 4_000_000_000L, 1);
        }
        assertEquals(40.0, pace.etaSeconds(10), 1e-9);
        // The run speeds up: once a window of 1 s rounds has passed, the slow rounds no longer count.
        for (int i = 0; i < RecentPace.WINDOW; i++) {
            pace.add(t += 1_000_000_000L, 1_000_000_000L, 1);
        }
        assertEquals(10.0, pace.etaSeconds(10), 1e-9);
        // A round of several units counts as that many.
        pace.add(t += 4_000_000_000L, 4_000_000_000L, 4);
        assertEquals(10.0, pace.etaSeconds(10), 1e-9);
    }
}
