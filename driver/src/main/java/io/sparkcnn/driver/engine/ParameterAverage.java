package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.RoundResult;
import io.sparkcnn.workers.train.TaskPhases;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The running sum behind one round's average, combined in partition order by {@link OrderedTreeSum}: the workers' changes to
 * the parameters and updater state, weighted by the examples each worker trained on (so a worker whose shard ran short at the end of an
 * epoch counts for what it saw), plus the round's totals and the weighted sum of the parameter changes'
 * squared norms, from which the driver gets how far the workers' updates spread ({@link #relativeSpread()}), and
 * where the slowest task's time went ({@link #slowestTask()}).
 */
public final class ParameterAverage implements Serializable {
    private float[] paramSum;
    private float[] stateSum;
    private long examples;
    private int workers;
    private int maxSteps;
    private int minibatches;
    private double lossSum;
    private long maxTrainNanos;
    /** Sum over workers of examples * ||parameter change||^2, in double: the spread is a small difference of it. */
    private double weightedSquaredNorm;
    /** The phases of the slowest task summed so far (the longest time in our code, its partial sum included). */
    private TaskPhases slowestTask;
    /** The driver's time adding the partial sums in order, set on the driver's own sum ({@link OrderedTreeSum}). */
    private long driverMergeNanos;
    /** Set once {@link #averageInPlace} has written the new state over the sums. */
    private boolean spent;
    /** On a slice ({@link #slice}): the lengths of the whole sums it was cut from. */
    private int wholeParams;
    private int wholeState;
    /** Arrays the first {@link #add} may zero and sum into instead of allocating ({@link #reusing}); may be null. */
    private transient float[] spareParams;
    private transient float[] spareState;

    /**
     * An empty sum whose first {@link #add} sums into {@code params} and {@code state} (zeroed then) when they have
     * the lengths it needs, rather than into new arrays: a round of the barrier exchange hands in the state two
     * rounds old, so that its rounds allocate no sums of the state's size. Zeroed arrays hold the bits new ones do.
     */
    static ParameterAverage reusing(float[] params, float[] state) {
        ParameterAverage sum = new ParameterAverage();
        sum.spareParams = params;
        sum.spareState = state;
        return sum;
    }

    public ParameterAverage add(RoundResult result) {
        long began = System.nanoTime();
        ModelState s = result.state();
        if (paramSum == null) {
            paramSum = zeroed(spareParams, s.params().length);
            stateSum = zeroed(spareState, s.updaterState().length);
            spareParams = null;
            spareState = null;
        }
        float weight = result.examples();
        // The parameters' squared norm (for the spread) in the same pass as their sum.
        weightedSquaredNorm += result.examples() * addScaledTakingNorm(paramSum, s.params(), weight);
        addScaled(stateSum, s.updaterState(), weight);
        examples += result.examples();
        workers++;
        maxSteps = Math.max(maxSteps, result.minibatches());
        minibatches += result.minibatches();
        lossSum += result.lossSum();
        maxTrainNanos = Math.max(maxTrainNanos, result.trainNanos());
        slowestTask = slower(slowestTask, result.phases().withPartialSum(System.nanoTime() - began));
        return this;
    }

    public ParameterAverage merge(ParameterAverage other) {
        if (other.paramSum == null) {
            return this;
        }
        if (paramSum == null) {
            // A copy, not other's arrays: merging must leave its input as it was, or a partial sum could be
            // changed behind the caller's back.
            paramSum = other.paramSum.clone();
            stateSum = other.stateSum.clone();
            wholeParams = other.wholeParams;
            wholeState = other.wholeState;
        } else {
            addScaled(paramSum, other.paramSum, 1f);
            addScaled(stateSum, other.stateSum, 1f);
        }
        weightedSquaredNorm += other.weightedSquaredNorm;
        examples += other.examples;
        workers += other.workers;
        maxSteps = Math.max(maxSteps, other.maxSteps);
        minibatches += other.minibatches;
        lossSum += other.lossSum;
        maxTrainNanos = Math.max(maxTrainNanos, other.maxTrainNanos);
        slowestTask = slower(slowestTask, other.slowestTask);
        return this;
    }

    private static float[] zeroed(float[] spare, int length) {
        if (spare != null && spare.length == length) {
            Arrays.fill(spare, 0f);
            return spare;
        }
        return new float[length];
    }

    private static TaskPhases slower(TaskPhases a, TaskPhases b) {
        if (a == null) {
            return b;
        }
        return b == null || a.totalNanos() >= b.totalNanos() ? a : b;
    }

    /**
     * {@code start} moved by the average change; the iteration counter moves on by the most steps any worker
     * took, as if the round's workers had stepped in lockstep. It allocates the new state and nothing else (the
     * change is scaled and added in one pass), so that the driver holds no more copies of the state than it must;
     * the sum is left as it was.
     */
    public ModelState average(ModelState start) {
        requireUnspent();
        if (paramSum == null) {
            return start;
        }
        double perExample = 1.0 / examples;
        return new ModelState(moved(start.params(), paramSum, perExample, new float[paramSum.length]),
                moved(start.updaterState(), stateSum, perExample, new float[stateSum.length]),
                start.iterations() + maxSteps, start.epochs());
    }

    /**
     * A round's average as {@link #averageInPlace} gives it: the new state, the spread the sums had
     * ({@link #relativeSpread()}), and whether every value of the new state is finite.
     */
    public record Averaged(ModelState state, double spread, boolean finite) {}

    /**
     * As {@link #average}, but the new state is written into this sum's own arrays, so that averaging allocates no
     * copy of the state at all, and in the same pass over the sums their {@link #relativeSpread()} is taken and the
     * new state checked for NaN and infinite values (three passes over the state fused into one: the state is
     * megabytes, and a round of the barrier exchange does this on every worker). The sum is spent: it must not be
     * read again. The same float and double operations, in the same order, as {@link #average} and
     * {@link #relativeSpread()}, so the same bits.
     */
    public Averaged averageInPlace(ModelState start) {
        requireUnspent();
        if (paramSum == null) {
            return new Averaged(start, Double.NaN, true);
        }
        checkSameLength(start.params(), paramSum);
        checkSameLength(start.updaterState(), stateSum);
        double perExample = 1.0 / examples;
        double meanSquaredNorm = 0;
        boolean infinite = false;
        float[] from = start.params();
        for (int i = 0; i < paramSum.length; i++) {
            float v = paramSum[i];
            double mean = v / (double) examples;
            meanSquaredNorm += mean * mean;
            float moved = from[i] + (float) (v * perExample);
            paramSum[i] = moved;
            infinite |= !Float.isFinite(moved);
        }
        from = start.updaterState();
        for (int i = 0; i < stateSum.length; i++) {
            float moved = from[i] + (float) (stateSum[i] * perExample);
            stateSum[i] = moved;
            infinite |= !Float.isFinite(moved);
        }
        spent = true;
        return new Averaged(new ModelState(paramSum, stateSum, start.iterations() + maxSteps, start.epochs()),
                spreadOf(meanSquaredNorm), !infinite);
    }

    private void requireUnspent() {
        if (spent) {
            throw new IllegalStateException("this sum's arrays now hold the averaged state (averageInPlace): take"
                    + " what is needed from the sum before averaging it in place.");
        }
    }

    /**
     * Slice {@code index} of {@code count} of this sum, for the all-reduce ({@link SlicedAllReduce}): the same
     * contiguous range of the parameter sums and of the updater-state sums that every worker's slice of that
     * index covers, so that summing the slices of one index sums those ranges. Slice 0 carries the round's
     * totals (examples, losses, the spread's squared norms, the slowest task) and the others none, so that they
     * are counted once when the slices are gathered again ({@link Gather}).
     */
    ParameterAverage slice(int index, int count) {
        ParameterAverage s = index == 0 ? copyOfTotals() : new ParameterAverage();
        if (paramSum != null) {
            s.paramSum = Arrays.copyOfRange(paramSum, from(paramSum.length, index, count),
                    from(paramSum.length, index + 1, count));
            s.stateSum = Arrays.copyOfRange(stateSum, from(stateSum.length, index, count),
                    from(stateSum.length, index + 1, count));
            s.wholeParams = paramSum.length;
            s.wholeState = stateSum.length;
        }
        return s;
    }

    /**
     * Puts a round's summed slices together into the round's sum as they arrive, in any order, each copied into
     * place and then dropped ({@link SlicedAllReduce}'s gather): the driver holds one state's worth of sums and
     * the slice in hand, never all the slices and their joined copy at once.
     */
    static final class Gather {
        private final int count;
        private final boolean[] received;
        private ParameterAverage whole;

        Gather(int count) {
            this.count = count;
            this.received = new boolean[count];
        }

        /** Summed slice {@code index} of this gather's {@code count}; slice 0 brings the round's totals. */
        void put(int index, ParameterAverage slice) {
            if (received[index]) {
                throw new IllegalStateException("slice " + index + " of the round's sum arrived twice.");
            }
            received[index] = true;
            if (slice.paramSum == null) {
                return;
            }
            if (whole == null) {
                whole = new ParameterAverage();
                whole.paramSum = new float[slice.wholeParams];
                whole.stateSum = new float[slice.wholeState];
            }
            System.arraycopy(slice.paramSum, 0, whole.paramSum, from(slice.wholeParams, index, count),
                    slice.paramSum.length);
            System.arraycopy(slice.stateSum, 0, whole.stateSum, from(slice.wholeState, index, count),
                    slice.stateSum.length);
            if (index == 0) {
                whole.copyTotalsFrom(slice);
            }
        }

        /** The round's sum: empty when no worker trained, else every slice must have arrived. */
        ParameterAverage sum() {
            if (whole == null) {
                return new ParameterAverage();
            }
            for (int i = 0; i < count; i++) {
                if (!received[i]) {
                    throw new IllegalStateException("slice " + i + " of " + count + " of the round's sum is missing.");
                }
            }
            return whole;
        }
    }

    private ParameterAverage copyOfTotals() {
        ParameterAverage t = new ParameterAverage();
        t.copyTotalsFrom(this);
        return t;
    }

    private void copyTotalsFrom(ParameterAverage other) {
        examples = other.examples;
        workers = other.workers;
        maxSteps = other.maxSteps;
        minibatches = other.minibatches;
        lossSum = other.lossSum;
        maxTrainNanos = other.maxTrainNanos;
        weightedSquaredNorm = other.weightedSquaredNorm;
        slowestTask = other.slowestTask;
    }

    /** Where slice {@code index} of {@code count} starts in an array of {@code length} values. */
    private static int from(int length, int index, int count) {
        return (int) ((long) length * index / count);
    }

    public long examples() {
        return examples;
    }

    public int workers() {
        return workers;
    }

    public int minibatches() {
        return minibatches;
    }

    public double meanLoss() {
        return minibatches == 0 ? Double.NaN : lossSum / minibatches;
    }

    public long maxTrainNanos() {
        return maxTrainNanos;
    }

    /**
     * Where the round's slowest task spent its time (the task with the longest time in our code, its partial sum
     * included: the one the round waited for); {@link TaskPhases#NONE} when no worker trained.
     */
    public TaskPhases slowestTask() {
        return slowestTask == null ? TaskPhases.NONE : slowestTask;
    }

    /** The driver's time adding the partial sums in partition order; 0 where the driver did not time it. */
    public long driverMergeNanos() {
        return driverMergeNanos;
    }

    ParameterAverage mergedOnTheDriverIn(long nanos) {
        driverMergeNanos = nanos;
        return this;
    }

    /**
     * How far the workers' parameter changes d_w spread around their weighted mean d, relative to the mean:
     * sqrt(sum n_w ||d_w - d||^2 / N) / ||d||, computed as sqrt(sum n_w ||d_w||^2 / N - ||d||^2) / ||d|| from
     * the sums the aggregation already carries. 0 when every worker moved the same way (or one worker took
     * part), growing as they pull apart; infinite when they differ but cancel out on average; NaN when no
     * worker trained.
     */
    public double relativeSpread() {
        requireUnspent();
        if (paramSum == null || examples == 0) {
            return Double.NaN;
        }
        double meanSquaredNorm = 0;
        for (float v : paramSum) {
            double mean = v / (double) examples;
            meanSquaredNorm += mean * mean;
        }
        return spreadOf(meanSquaredNorm);
    }

    /** The spread from the squared norm of the mean change, {@code ||d||^2}. */
    private double spreadOf(double meanSquaredNorm) {
        double variance = Math.max(0, weightedSquaredNorm / examples - meanSquaredNorm);
        if (meanSquaredNorm == 0) {
            return variance == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(variance / meanSquaredNorm);
    }

    private static void addScaled(float[] into, float[] values, float weight) {
        checkSameSize(into, values);
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i] * weight;
        }
    }

    private static void checkSameSize(float[] into, float[] values) {
        if (into.length != values.length) {
            throw new IllegalStateException("workers returned states of different sizes: " + into.length
                    + " and " + values.length);
        }
    }

    /** {@link #addScaled}, returning the squared norm of {@code values}. */
    private static double addScaledTakingNorm(float[] into, float[] values, float weight) {
        checkSameSize(into, values);
        double squaredNorm = 0;
        for (int i = 0; i < into.length; i++) {
            float v = values[i];
            into[i] += v * weight;
            squaredNorm += (double) v * v;
        }
        return squaredNorm;
    }

    /**
     * {@code start + (float) (sum * perExample)} element by element, into {@code out} (a new array, or the sum
     * itself): the same float operations as scaling the sum into a change and adding it, without the change's
     * array.
     */
    private static float[] moved(float[] start, float[] sum, double perExample, float[] out) {
        checkSameLength(start, sum);
        for (int i = 0; i < out.length; i++) {
            out[i] = start[i] + (float) (sum[i] * perExample);
        }
        return out;
    }

    private static void checkSameLength(float[] start, float[] sum) {
        if (start.length != sum.length) {
            throw new IllegalStateException("the workers' states have " + sum.length + " values but the round"
                    + " started from " + start.length);
        }
    }
}
