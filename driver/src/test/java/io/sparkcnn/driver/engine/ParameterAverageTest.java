package io.sparkcnn.driver.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.RoundResult;
import io.sparkcnn.workers.train.TaskPhases;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParameterAverageTest {
    private static final int PARAMS = 257;
    private static final int STATE = 2 * PARAMS;
    private static final ModelState START = new ModelState(new float[PARAMS], new float[STATE], 100, 2);

    @Test
    void theAverageIsWeightedByExamplesLikeADirectComputation() {
        long[] examples = {320, 320, 97, 1, 250};
        List<RoundResult> results = randomResults(examples, 1);

        ModelState average = sumOf(results).average(START);

        assertArrayEquals(weightedMean(results, r -> r.state().params()), average.params(), 1e-6f);
        assertArrayEquals(weightedMean(results, r -> r.state().updaterState()), average.updaterState(), 1e-6f);
    }

    @Test
    void theSumKeepsThePhasesOfTheSlowestTaskWhicheverWayItIsCombined() {
        // Seconds apart, so that the partial sums' own (timed, microsecond) cost cannot change which is slower.
        long s = 1_000_000_000L;
        TaskPhases fast = new TaskPhases(s, 2 * s, 3 * s, 40 * s, 5 * s, 6 * s, 0, 70 * s);
        TaskPhases slow = new TaskPhases(10 * s, 20 * s, 30 * s, 400 * s, 50 * s, 60 * s, 0, 700 * s);
        RoundResult a = result(new float[PARAMS], new float[STATE], 32, 1, 1.0, 1).withPhases(fast);
        RoundResult b = result(new float[PARAMS], new float[STATE], 32, 1, 1.0, 1).withPhases(slow);

        ParameterAverage added = new ParameterAverage().add(a).add(b);
        ParameterAverage merged = new ParameterAverage().add(b).merge(new ParameterAverage().add(a));

        for (ParameterAverage sum : List.of(added, merged)) {
            TaskPhases kept = sum.slowestTask();
            assertEquals(400 * s, kept.stepNanos(), "the slow task's phases: " + kept);
            assertEquals(700 * s, kept.taskNanos());
            assertTrue(kept.partialSumNanos() > 0, "its partial sum was timed: " + kept);
            assertEquals(700 * s + kept.partialSumNanos(), kept.totalNanos());
            assertEquals((700 - 10 - 20 - 30 - 400 - 50 - 60) * s, kept.otherNanos());
        }
        assertSame(TaskPhases.NONE, new ParameterAverage().slowestTask(), "no task, no phases");
    }

    @Test
    void aGatherRefusesASliceTwiceAndASumWithASliceMissing() {
        ParameterAverage whole = new ParameterAverage().add(randomResults(new long[] {32}, 9).get(0));
        ParameterAverage.Gather twice = new ParameterAverage.Gather(3);
        twice.put(1, whole.slice(1, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> twice.put(1, whole.slice(1, 3)));
        assertTrue(e.getMessage().contains("slice 1"), e.getMessage());

        ParameterAverage.Gather missing = new ParameterAverage.Gather(3);
        missing.put(0, whole.slice(0, 3));
        missing.put(2, whole.slice(2, 3));
        e = assertThrows(IllegalStateException.class, missing::sum);
        assertTrue(e.getMessage().contains("slice 1 of 3"), e.getMessage());
        assertEquals(0, new ParameterAverage.Gather(3).sum().workers(), "no worker trained: an empty sum");
    }

    @Test
    void averagingInPlaceGivesTheSameBitsInTheSumsOwnArraysAndSpendsTheSum() {
        List<RoundResult> results = randomResults(new long[] {320, 97, 250}, 11);
        ModelState start = new ModelState(randomFloats(PARAMS, 12), randomFloats(STATE, 13), 100, 2);
        ModelState copied = sumOf(results).average(start);
        double spread = sumOf(results).relativeSpread();
        ParameterAverage sum = sumOf(results);

        ParameterAverage.Averaged averaged = sum.averageInPlace(start);
        ModelState inPlace = averaged.state();

        assertEquals(spread, averaged.spread(), 0.0, "the spread taken in the same pass");
        assertTrue(averaged.finite());
        assertArrayEquals(copied.params(), inPlace.params(), 0f);
        assertArrayEquals(copied.updaterState(), inPlace.updaterState(), 0f);
        assertEquals(copied.iterations(), inPlace.iterations());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sum.average(start));
        assertTrue(e.getMessage().contains("averageInPlace"), e.getMessage());
        assertThrows(IllegalStateException.class, sum::relativeSpread);
    }

    @Test
    void aSumReusingAnOldStatesArraysGivesTheBitsOfANewSumInThoseArrays() {
        List<RoundResult> results = randomResults(new long[] {320, 97, 250}, 31);
        ModelState start = new ModelState(randomFloats(PARAMS, 32), randomFloats(STATE, 33), 100, 2);
        ModelState expected = sumOf(results).average(start);
        // The state two rounds old: values that must not leak into the sum.
        float[] oldParams = randomFloats(PARAMS, 34);
        float[] oldState = randomFloats(STATE, 35);
        ParameterAverage reusing = ParameterAverage.reusing(oldParams, oldState);
        results.forEach(reusing::add);

        ModelState averaged = reusing.averageInPlace(start).state();

        assertTrue(averaged.params() == oldParams && averaged.updaterState() == oldState, "summed in the old arrays");
        assertArrayEquals(expected.params(), averaged.params(), 0f);
        assertArrayEquals(expected.updaterState(), averaged.updaterState(), 0f);
        ParameterAverage misfit = ParameterAverage.reusing(new float[PARAMS - 1], null);
        results.forEach(misfit::add);
        assertArrayEquals(expected.params(), misfit.averageInPlace(start).state().params(), 0f,
                "arrays of another length are not used");
    }

    @ParameterizedTest(name = "{0} in the updater state: {1}")
    @CsvSource({"NaN, false", "NaN, true", "Infinity, false", "-Infinity, true"})
    void averagingInPlaceTellsWhetherTheNewStateHoldsANonFiniteValue(float bad, boolean inUpdaterState) {
        List<RoundResult> results = randomResults(new long[] {32, 64}, 21);
        float[] values = inUpdaterState ? results.get(1).state().updaterState() : results.get(1).state().params();
        values[values.length - 1] = bad;
        ModelState start = new ModelState(randomFloats(PARAMS, 22), randomFloats(STATE, 23), 0, 0);

        assertFalse(sumOf(results).averageInPlace(start).finite());
        assertTrue(sumOf(randomResults(new long[] {32, 64}, 21)).averageInPlace(start).finite());
    }

    @Test
    void equalWeightsGiveThePlainMean() {
        List<RoundResult> results = randomResults(new long[] {64, 64, 64}, 2);

        ModelState average = sumOf(results).average(START);

        for (int i = 0; i < PARAMS; i++) {
            double mean = 0;
            for (RoundResult r : results) {
                mean += r.state().params()[i];
            }
            assertEquals(mean / 3, average.params()[i], 1e-6, "parameter " + i);
        }
        for (int i = 0; i < STATE; i++) {
            double mean = 0;
            for (RoundResult r : results) {
                mean += r.state().updaterState()[i];
            }
            assertEquals(mean / 3, average.updaterState()[i], 1e-6, "updater state " + i);
        }
    }

    @Test
    void oneWorkerAveragesToItsOwnState() {
        RoundResult only = randomResults(new long[] {123}, 3).get(0);

        ModelState average = new ParameterAverage().add(only).average(START);

        assertArrayEquals(only.state().params(), average.params(), 1e-6f);
        assertArrayEquals(only.state().updaterState(), average.updaterState(), 1e-6f);
    }

    @Test
    void aWorkerWithNoExamplesCarriesNoWeight() {
        List<RoundResult> results = new ArrayList<>(randomResults(new long[] {50, 70}, 4));
        RoundResult idle = randomResults(new long[] {0}, 5).get(0);

        ModelState without = sumOf(results).average(START);
        results.add(idle);
        ModelState with = sumOf(results).average(START);

        assertArrayEquals(without.params(), with.params(), 1e-6f);
        assertArrayEquals(without.updaterState(), with.updaterState(), 1e-6f);
    }

    @Test
    void mergingPartialSumsEqualsAddingEverythingToOne() {
        List<RoundResult> results = randomResults(new long[] {10, 200, 33, 47, 5, 320}, 6);
        ParameterAverage all = sumOf(results);

        // As Spark's treeAggregate may: ((r0 + r1) + (r2)) merged with ((r3) + (r4 + r5)), and in another order.
        ParameterAverage left = sumOf(results.subList(0, 2)).merge(sumOf(results.subList(2, 3)));
        ParameterAverage right = sumOf(results.subList(3, 4)).merge(sumOf(results.subList(4, 6)));
        ParameterAverage tree = left.merge(right);
        ParameterAverage reversed = sumOf(results.subList(3, 6)).merge(sumOf(results.subList(0, 3)));

        for (ParameterAverage merged : List.of(tree, reversed)) {
            ModelState expected = all.average(START);
            ModelState actual = merged.average(START);
            assertArrayEquals(expected.params(), actual.params(), 1e-6f);
            assertArrayEquals(expected.updaterState(), actual.updaterState(), 1e-6f);
            assertEquals(expected.iterations(), actual.iterations());
            assertEquals(all.examples(), merged.examples());
            assertEquals(all.workers(), merged.workers());
            assertEquals(all.minibatches(), merged.minibatches());
            assertEquals(all.meanLoss(), merged.meanLoss(), 1e-12);
            assertEquals(all.maxTrainNanos(), merged.maxTrainNanos());
        }
    }

    @Test
    void mergingWithAnEmptySumChangesNothing() {
        List<RoundResult> results = randomResults(new long[] {10, 20}, 7);
        ModelState expected = sumOf(results).average(START);

        ModelState emptyRight = sumOf(results).merge(new ParameterAverage()).average(START);
        ModelState emptyLeft = new ParameterAverage().merge(sumOf(results)).average(START);

        assertArrayEquals(expected.params(), emptyRight.params(), 0f);
        assertArrayEquals(expected.params(), emptyLeft.params(), 0f);
        assertEquals(2, new ParameterAverage().merge(sumOf(results)).workers());
    }

    @Test
    void anEmptyAverageKeepsTheStartState() {
        ParameterAverage empty = new ParameterAverage().merge(new ParameterAverage());

        assertSame(START, empty.average(START));
        assertEquals(0, empty.examples());
        assertEquals(0, empty.workers());
        assertEquals(0, empty.minibatches());
        assertTrue(Double.isNaN(empty.meanLoss()));
    }

    @Test
    void iterationsAdvanceByTheMostStepsOfAnyWorkerAndEpochsStay() {
        ParameterAverage sum = new ParameterAverage()
                .add(result(new float[] {1}, new float[] {1}, 32, 10, 5.0, 7))
                .add(result(new float[] {3}, new float[] {3}, 16, 4, 2.0, 9))
                .add(result(new float[] {5}, new float[] {5}, 32, 10, 3.0, 8));
        ModelState start = new ModelState(new float[1], new float[1], 40, 3);

        ModelState average = sum.average(start);

        assertEquals(50, average.iterations());
        assertEquals(3, average.epochs());
        assertEquals((32 * 1 + 16 * 3 + 32 * 5) / 80.0, average.params()[0], 1e-6);
    }

    @Test
    void theTotalsAreSumsAndTheLossIsTheMeanPerMinibatch() {
        ParameterAverage sum = new ParameterAverage()
                .add(result(new float[] {0}, new float[0], 320, 10, 6.5, 1_000))
                .add(result(new float[] {0}, new float[0], 100, 4, 3.5, 3_000))
                .add(result(new float[] {0}, new float[0], 320, 10, 5.0, 2_000));

        assertEquals(740, sum.examples());
        assertEquals(3, sum.workers());
        assertEquals(24, sum.minibatches());
        assertEquals(15.0 / 24, sum.meanLoss(), 1e-12);
        assertEquals(3_000, sum.maxTrainNanos());
    }

    @Test
    void workersWithParameterVectorsOfDifferentLengthsAreRefused() {
        ParameterAverage sum = new ParameterAverage().add(result(new float[3], new float[6], 1, 1, 0, 0));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> sum.add(result(new float[4], new float[6], 1, 1, 0, 0)));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void workersWithUpdaterStatesOfDifferentLengthsAreRefused() {
        ParameterAverage sum = new ParameterAverage().add(result(new float[3], new float[6], 1, 1, 0, 0));

        assertThrows(IllegalStateException.class, () -> sum.add(result(new float[3], new float[5], 1, 1, 0, 0)));
    }

    @Test
    void mergingPartialSumsOfDifferentLengthsIsRefused() {
        ParameterAverage a = new ParameterAverage().add(result(new float[3], new float[6], 1, 1, 0, 0));
        ParameterAverage b = new ParameterAverage().add(result(new float[2], new float[6], 1, 1, 0, 0));

        assertThrows(IllegalStateException.class, () -> a.merge(b));
    }

    @Test
    void identicalChangesHaveNoSpread() {
        float[] change = randomResults(new long[] {1}, 8).get(0).state().params();
        ParameterAverage sum = new ParameterAverage()
                .add(result(change.clone(), new float[STATE], 320, 10, 1, 1))
                .add(result(change.clone(), new float[STATE], 97, 3, 1, 1))
                .add(result(change.clone(), new float[STATE], 320, 10, 1, 1));

        // Not exactly 0: the mean is summed in float, as the average itself is.
        assertEquals(0, sum.relativeSpread(), 1e-3);
        assertEquals(0, new ParameterAverage().add(randomResults(new long[] {64}, 9).get(0)).relativeSpread(), 1e-3,
                "one worker");
    }

    @Test
    void oppositeChangesSpreadWithoutBoundAndOrthogonalOnesByOne() {
        float[] up = {1, 2, -3};
        float[] down = {-1, -2, 3};
        ParameterAverage opposite = new ParameterAverage()
                .add(result(up, new float[0], 64, 2, 1, 1))
                .add(result(down, new float[0], 64, 2, 1, 1));
        assertEquals(Double.POSITIVE_INFINITY, opposite.relativeSpread());

        // d1 = (2, 0), d2 = (0, 2): mean (1, 1), each 1.414 away from it, as far as the mean is long.
        ParameterAverage orthogonal = new ParameterAverage()
                .add(result(new float[] {2, 0}, new float[0], 32, 1, 1, 1))
                .add(result(new float[] {0, 2}, new float[0], 32, 1, 1, 1));
        assertEquals(1.0, orthogonal.relativeSpread(), 1e-9);
    }

    @Test
    void theSpreadMatchesADirectComputationWhateverTheMergeOrder() {
        long[] examples = {320, 320, 97, 1, 250, 64};
        List<RoundResult> results = new ArrayList<>();
        Random random = new Random(10);
        float[] shared = new float[PARAMS];
        for (int i = 0; i < PARAMS; i++) {
            shared[i] = random.nextFloat() - 0.5f;
        }
        // A common direction plus a worker's own noise, as after a round of local steps.
        for (long n : examples) {
            float[] change = new float[PARAMS];
            for (int i = 0; i < PARAMS; i++) {
                change[i] = shared[i] + 0.4f * (float) random.nextGaussian();
            }
            results.add(result(change, new float[STATE], n, 1, 1, 1));
        }
        double expected = directSpread(results);

        ParameterAverage tree = sumOf(results.subList(0, 2)).merge(sumOf(results.subList(2, 4)))
                .merge(sumOf(results.subList(4, 6)));

        assertEquals(expected, sumOf(results).relativeSpread(), 1e-5 * expected);
        assertEquals(expected, tree.relativeSpread(), 1e-5 * expected);
        assertTrue(expected > 0.3 && expected < 3, "a noisy but shared direction: " + expected);
    }

    @Test
    void noWorkerNoSpread() {
        assertTrue(Double.isNaN(new ParameterAverage().relativeSpread()));
        assertTrue(Double.isNaN(new ParameterAverage().add(result(new float[] {1}, new float[0], 0, 0, 0, 0))
                .relativeSpread()), "a worker without examples carries no weight");
    }

    @Test
    void slicesSummedIndexByIndexGatherIntoTheSameBitsAsTheWholeSumInAnyArrivalOrder() {
        // Five workers and seven slices: the parameter (257) and state (514) lengths are not multiples of 7.
        List<RoundResult> results = randomResults(new long[] {320, 97, 1, 250, 64}, 5);
        int slices = 7;
        List<ParameterAverage> summedSlices = new ArrayList<>();
        for (int j = 0; j < slices; j++) {
            ParameterAverage slice = new ParameterAverage();
            for (RoundResult r : results) {
                slice.merge(new ParameterAverage().add(r).slice(j, slices));
            }
            summedSlices.add(slice);
        }
        ParameterAverage whole = new ParameterAverage();
        results.forEach(r -> whole.merge(new ParameterAverage().add(r)));

        ParameterAverage.Gather gather = new ParameterAverage.Gather(slices);
        for (int j : new int[] {4, 0, 6, 2, 1, 5, 3}) {
            gather.put(j, summedSlices.get(j));
        }
        ParameterAverage joined = gather.sum();

        assertArrayEquals(whole.average(START).params(), joined.average(START).params());
        assertArrayEquals(whole.average(START).updaterState(), joined.average(START).updaterState());
        assertEquals(whole.average(START).iterations(), joined.average(START).iterations());
        assertEquals(5, joined.workers(), "the totals are counted once, from slice 0");
        assertEquals(whole.examples(), joined.examples());
        assertEquals(whole.minibatches(), joined.minibatches());
        assertEquals(whole.meanLoss(), joined.meanLoss());
        assertEquals(whole.relativeSpread(), joined.relativeSpread());
        assertEquals(0, summedSlices.get(3).workers(), "a later slice carries no totals");
    }

    @Test
    void averagingLeavesTheSumAsItWas() {
        ParameterAverage sum = sumOf(randomResults(new long[] {32, 64}, 6));
        ModelState first = sum.average(START);

        assertArrayEquals(first.params(), sum.average(START).params());
        assertEquals(sum.relativeSpread(), sumOf(randomResults(new long[] {32, 64}, 6)).relativeSpread());
    }

    /** sqrt(sum n_k ||d_k - mean||^2 / N) / ||mean||, the definition, in double precision. */
    private static double directSpread(List<RoundResult> results) {
        int length = results.get(0).state().params().length;
        double n = results.stream().mapToLong(RoundResult::examples).sum();
        double[] mean = new double[length];
        for (RoundResult r : results) {
            for (int i = 0; i < length; i++) {
                mean[i] += r.examples() * (double) r.state().params()[i] / n;
            }
        }
        double spread = 0;
        for (RoundResult r : results) {
            for (int i = 0; i < length; i++) {
                double d = r.state().params()[i] - mean[i];
                spread += r.examples() * d * d / n;
            }
        }
        double meanNorm = 0;
        for (double m : mean) {
            meanNorm += m * m;
        }
        return Math.sqrt(spread / meanNorm);
    }

    private static ParameterAverage sumOf(List<RoundResult> results) {
        ParameterAverage sum = new ParameterAverage();
        results.forEach(sum::add);
        return sum;
    }

    private interface Vector {
        float[] of(RoundResult result);
    }

    /** The reference: sum(examples_k * v_k) / sum(examples_k), in double precision. */
    private static float[] weightedMean(List<RoundResult> results, Vector vector) {
        int length = vector.of(results.get(0)).length;
        double[] sum = new double[length];
        double weight = 0;
        for (RoundResult r : results) {
            float[] v = vector.of(r);
            for (int i = 0; i < length; i++) {
                sum[i] += (double) r.examples() * v[i];
            }
            weight += r.examples();
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) (sum[i] / weight);
        }
        return out;
    }

    /** One result per entry of {@code examples}, with parameters in [-1, 1) and updater state in [0, 0.01). */
    private static List<RoundResult> randomResults(long[] examples, long seed) {
        Random random = new Random(seed);
        List<RoundResult> out = new ArrayList<>();
        for (long n : examples) {
            float[] params = new float[PARAMS];
            float[] state = new float[STATE];
            for (int i = 0; i < PARAMS; i++) {
                params[i] = random.nextFloat() * 2 - 1;
            }
            for (int i = 0; i < STATE; i++) {
                state[i] = random.nextFloat() * 0.01f;
            }
            int minibatches = (int) Math.max(1, n / 32);
            out.add(result(params, state, n, minibatches, random.nextDouble() * minibatches, random.nextInt(1000)));
        }
        return out;
    }

    private static float[] randomFloats(int n, long seed) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextFloat() * 2 - 1;
        }
        return out;
    }

    private static RoundResult result(float[] params, float[] state, long examples, int minibatches, double lossSum,
                                      long trainNanos) {
        return new RoundResult(new ModelState(params, state, 0, 0), examples, minibatches, lossSum, trainNanos);
    }
}
