package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.jobs.config.JobConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Resource failures, as Spark and the JVM word them, become errors naming the cause and the setting. */
class ResourceErrorsTest {
    private static final JobConfig JOB = JobConfig.load(TrainJobSpec.CONF, List.of("training.batch-size-per-worker=512"));

    @Test
    void anExecutorKilledByOutOfMemoryNamesTheBatchSizeAndTheExecutorMemory() {
        // What DAGScheduler reports after the executor JVM died of an OutOfMemoryError (Spark's exit code 52).
        SparkException spark = new SparkException("Job aborted due to stage failure: Task 1 in stage 7.0 failed 4"
                + " times, most recent failure: Lost task 1.3 in stage 7.0 (TID 31) (127.0.0.1 executor 4):"
                + " ExecutorLostFailure (executor 4 exited caused by one of the running tasks) Reason: Command exited"
                + " with code 52");

        RuntimeException e = ResourceErrors.explain(new RuntimeException(spark), JOB, "1g");

        assertTrue(e.getMessage().contains("ran out of memory training batches of 512 images"), e.getMessage());
        assertTrue(e.getMessage().contains("training.batch-size-per-worker"), e.getMessage());
        assertTrue(e.getMessage().contains("spark.executor.memory, now 1g"), e.getMessage());
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }

    @Test
    void anExecutorOutOfOffHeapMemoryNamesTheBatchSizeAndTheExecutorMemory() {
        // JavaCPP's wording when ND4J's off-heap buffers pass org.bytedeco.javacpp.maxphysicalbytes, as the task
        // failure reaches the driver (the executor JVM itself survives, so there is no exit code 52).
        SparkException spark = new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 4"
                + " times, most recent failure: Lost task 0.3 in stage 3.0 (TID 9) (127.0.0.1 executor 1):"
                + " java.lang.RuntimeException: Physical memory usage is too high: physicalBytes (1200M) >"
                + " maxPhysicalBytes (1024M)");

        RuntimeException e = ResourceErrors.explain(new RuntimeException(spark), JOB, "512m");

        assertTrue(e.getMessage().contains("training.batch-size-per-worker"), e.getMessage());
        assertTrue(e.getMessage().contains("spark.executor.memory, now 512m"), e.getMessage());
    }

    @Test
    void executorsThatDiedOfOutOfMemoryAreNamedWhenTheJobAbortsOnTheLostShuffle() {
        // What a real run reported: the executors died (exit 52), then the stage failed on their lost shuffle.
        SparkException spark = new SparkException("Job aborted due to stage failure: ResultStage 2 (treeAggregate at"
                + " AveragingTrainer.java:93) has failed the maximum allowable number of times: 4. Most recent failure"
                + " reason: org.apache.spark.shuffle.MetadataFetchFailedException: Missing an output location for"
                + " shuffle 0 partition 1");
        String events = "executor 3 lost 41.2 s into the run: Command exited with code 52";

        RuntimeException aborted = new RuntimeException(spark);

        assertSame(aborted, ResourceErrors.explain(aborted, JOB, "512m"));
        RuntimeException e = ResourceErrors.explain(aborted, JOB, "512m", events);

        assertTrue(e.getMessage().contains("training.batch-size-per-worker"), e.getMessage());
        assertTrue(e.getMessage().contains("spark.executor.memory, now 512m"), e.getMessage());
    }

    @Test
    void aFullDiskNamesTheFileThatCouldNotBeWritten() {
        UncheckedIOException full = new UncheckedIOException("cannot write checkpoint /runs/x/ckpt-e0002-b00004.bin:"
                + " No space left on device", new IOException("No space left on device"));

        RuntimeException e = ResourceErrors.explain(full, JOB, "1g");

        assertTrue(e.getMessage().contains("a disk is full (java.io.UncheckedIOException: cannot write checkpoint"
                + " /runs/x/ckpt-e0002-b00004.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("another --out"), e.getMessage());
    }

    @Test
    void otherFailuresAreLeftAsTheyAre() {
        IllegalArgumentException other = new IllegalArgumentException("something else");
        assertSame(other, ResourceErrors.explain(other, JOB, "1g"));
    }
}
