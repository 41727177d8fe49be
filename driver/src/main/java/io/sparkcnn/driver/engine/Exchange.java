package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.params.ParamChoice;
import io.sparkcnn.workers.train.RoundResult;
import org.apache.spark.api.java.JavaRDD;

/**
 * How a round's worker results are summed ({@code training.exchange}). Both move the same bytes through the same
 * tree; they differ only in the order of the float additions, and so in whether a run repeats bit for bit.
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
    };

    abstract ParameterAverage sum(JavaRDD<RoundResult> results);

    @Override
    public String toString() {
        return word();
    }
}
