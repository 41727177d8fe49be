package io.sparkcnn.jobs.architectures;

import io.sparkcnn.jobs.train.TrainJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.testing.FashionMnist;
import io.sparkcnn.workers.train.NetworkCache;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every architecture's job in {@code conf/} trains for at least one averaging round in local mode, with its own
 * input size, updater, schedule and augmentation, on a handful of real Fashion-MNIST images.
 */
class ArchitectureJobsSpec {
    @BeforeAll
    static void needsData() {
        FashionMnist.require();
    }

    /**
     * Every job leaves its two workers' networks in the executor-local cache: with the 19 jobs of issue 17 in one
     * JVM the test process grew past 20 GB and the kernel's OOM killer stopped it on a 23 GB machine (12 GB at
     * most with the cache dropped after each job).
     */
    @AfterEach
    void dropTheCachedNetworks() {
        NetworkCache.clear();
        System.gc();
    }

    static Stream<String> jobs() {
        return Arrays.stream(new File("../conf").list((dir, name) -> name.endsWith("-fashion.conf"))).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    @SuppressWarnings("unchecked")
    void trainsForAtLeastOneAveragingRound(String file, @TempDir Path tmp) {
        JobConfig job = JobConfig.load(new File("../conf", file), List.of("data.train-limit=20", "data.test-limit=16",
                "training.epochs=1", "training.batch-size-per-worker=8", "training.averaging-frequency=1",
                "training.eval-batch-size=16"));
        Path out = tmp.resolve("run");

        Map<String, Object> metrics = new TrainJob(job, out, null,
                new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()))).run();

        List<Map<String, Object>> history = (List<Map<String, Object>>) metrics.get("history");
        assertEquals(1, history.size());
        assertTrue(((Number) history.get(0).get("rounds")).intValue() >= 1, file);
        assertTrue(((Number) metrics.get("examples_trained")).longValue() > 0, file);
        assertTrue(Double.isFinite(((Number) history.get(0).get("train_loss")).doubleValue()), file);
        assertTrue(Files.isRegularFile(out.resolve("model.zip")), file);
    }
}
