package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.workers.train.ModelState;

/** Scores a state on one of the run's evaluation sets after {@code epoch}, as a Spark job named for the epoch. */
@FunctionalInterface
interface EpochEvaluator {
    DistributedEvaluator.Scored score(int epoch, ModelState state);
}
