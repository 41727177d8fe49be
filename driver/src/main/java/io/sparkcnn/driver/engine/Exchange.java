package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.params.ParamChoice;
import io.sparkcnn.workers.train.RoundResult;
import org.apache.spark.api.java.JavaRDD;

/**
 * How a round's worker results are summed ({@code training.exchange}). The two trees move the same bytes through
 * the same tree and differ only in the order of the float additions, and so in whether a run repeats bit for
 * bit; the all-reduce moves most of the bytes between the executors instead of into the driver.
 */
public enum Exchange implements ParamChoice {
    /** In partition order ({@link OrderedTreeSum}): the same bits whatever order the tasks finish in. */
    TREE {
        @Override
        ParameterAverage sum(JavaRDD<RoundResult> results) {
            return OrderedTreeSum.sum(results);
        }
    },
    /**
     * Spark's own {@code treeAggregate}, which folds results in task completion order: what the engine did before
     * issue 15. With more than two workers the same run can end in different bits. Kept so that the benchmark
     * measures what the ordering costs (row r), and for anyone who wants to measure it again.
     */
    TREE_ARRIVAL_ORDER {
        @Override
        ParameterAverage sum(JavaRDD<RoundResult> results) {
            return results.treeAggregate(new ParameterAverage(), ParameterAverage::add, ParameterAverage::merge);
        }
    },
    /**
     * A reduce-scatter through the shuffle, then a gather of the summed slices ({@link SlicedAllReduce}): the
     * driver receives one state's worth of bytes per round whatever the number of workers, and the executors
     * move the rest among themselves. In partition order like {@link #TREE}, so it repeats bit for bit too.
     */
    ALL_REDUCE {
        @Override
        ParameterAverage sum(JavaRDD<RoundResult> results) {
            return SlicedAllReduce.sum(results);
        }
    },

    /**
     * No sum on the driver: every worker runs the whole epoch in one task and the workers average among themselves
     * at the end of each round through Spark's barrier execution ({@link EpochTask}), in partition order, so it
     * gives {@link #TREE}'s bits. The driver sees the state once an epoch, so checkpoints, validation and an EMA of
     * the weights follow epochs; the all-gather moves every worker's change to every worker through the driver's
     * RPC, so it suits states of tens of MB, not hundreds.
     */
    BARRIER {
        @Override
        ParameterAverage sum(JavaRDD<RoundResult> results) {
            throw new IllegalStateException("the barrier exchange sums inside the epoch's tasks (EpochTask), not"
                    + " on the driver");
        }
    };

    abstract ParameterAverage sum(JavaRDD<RoundResult> results);

    @Override
    public String toString() {
        return word();
    }
}
