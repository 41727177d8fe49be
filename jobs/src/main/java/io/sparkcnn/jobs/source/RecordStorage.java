package io.sparkcnn.jobs.source;

import org.apache.spark.storage.StorageLevel;

/** Where the executors keep a run's records (training, validation and test sets) between their passes. */
public final class RecordStorage {
    /**
     * The executors' local disks only. Every pass reads the records once, front to back: each epoch's shuffle
     * into the workers' blocks, each evaluation. The block manager writes them to disk once and the operating
     * system's page cache keeps them in memory as long as they fit, so a data set that fits costs one
     * deserialisation a pass (the shuffle serialises every record again anyway), and one larger than memory
     * costs one sequential disk read a pass. A memory level would unroll every partition into the Java heap
     * first: when it does not fit, Spark's MemoryStore warns "Not enough space to cache rdd_N_M" for each
     * partition of each pass, MEMORY_ONLY then recomputes the partition from its source (reads every file again)
     * and the *_AND_DISK levels spill it to disk after all; meanwhile the heap it takes is the shuffle's.
     */
    public static final StorageLevel LEVEL = StorageLevel.DISK_ONLY();

    private RecordStorage() {}
}
