package io.sparkcnn.driver.shard;

import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.reflect.ClassTag;

/**
 * Its parent's partitions, each read only when its iterator is first asked for a record, not when the task is
 * handed the iterator. A shard sorted by position ({@link Sharder#shardsFor}) is read and sorted whole inside
 * Spark's shuffle reader before the task's function runs at all (about 0.7 s a shard of 30,000 Fashion-MNIST
 * records, measured in local mode); deferred, the barrier exchange's task first starts what it waits for anyway
 * (the workers' address all-gather, which Spark answers no sooner than a second) and then reads its shard while
 * that runs. The first {@code hasNext} must come from the task's own thread: the shuffle reader needs the task's
 * context.
 */
final class DeferredRead<T> extends RDD<T> {
    private final ClassTag<T> tag;

    DeferredRead(RDD<T> parent, ClassTag<T> tag) {
        super(parent, tag);
        this.tag = tag;
    }

    @Override
    public Iterator<T> compute(Partition split, TaskContext context) {
        RDD<T> parent = firstParent(tag);
        return new AbstractIterator<>() {
            private Iterator<T> records;

            private Iterator<T> records() {
                if (records == null) {
                    records = parent.iterator(split, context);
                }
                return records;
            }

            @Override
            public boolean hasNext() {
                return records().hasNext();
            }

            @Override
            public T next() {
                return records().next();
            }
        };
    }

    @Override
    public Partition[] getPartitions() {
        return firstParent(tag).partitions();
    }
}
