package io.sparkcnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.testing.FashionMnist;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose training set is larger than Spark's storage memory (issue 13): it trains every example once an
 * epoch, and the console gets none of the MemoryStore's "Not enough space to cache" warnings that the earlier
 * in-memory shards gave (138 of them in the measured run). Storage memory is cut to ~2 MB with Spark's own
 * knobs, against ~4.7 MB of training pixels; a control shows that the same limit does make a cache warn.
 */
class LargerThanMemorySpec {
    /** Spark's unified memory: (512 MB - 300 MB reserved) x 0.01 = ~2.2 MB for storage and execution together. */
    private static final Map<String, String> SMALL_MEMORY = Map.of("spark.testing.memory", "536870912",
            "spark.memory.fraction", "0.01");
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Recorder recorder = new Recorder();

    /** What Spark's memory store logs at WARN or above while it is attached. */
    private final class Recorder extends AbstractAppender {
        Recorder() {
            super("larger-than-memory-recorder", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLoggerName().startsWith("org.apache.spark.storage")) {
                warnings.add(event.getMessage().getFormattedMessage());
            }
        }
    }

    @BeforeEach
    void limitStorageMemoryAndRecordItsWarnings() {
        FashionMnist.require();
        SMALL_MEMORY.forEach(System::setProperty);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        recorder.start();
        context.getConfiguration().getRootLogger().addAppender(recorder, Level.WARN, null);
        context.updateLoggers();
    }

    @AfterEach
    void restore() {
        SMALL_MEMORY.keySet().forEach(System::clearProperty);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.removeAppender(recorder.getName());
        context.updateLoggers();
    }

    @Test
    void aTrainingSetLargerThanStorageMemoryTrainsEveryExampleWithoutCacheWarnings(@TempDir Path tmp)
            throws Exception {
        JobConfig job = JobConfig.load(new File("../conf/convnetjs-fashion.conf"), List.of("data.train-limit=6000",
                "data.test-limit=1000", "training.epochs=2", "training.evaluate-every-epoch=false", "data.augment=[]"));
        Path out = tmp.resolve("run");

        new TrainJob(job, out, null, new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()))).run();

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(12000, metrics.get("examples_trained").asLong(), "every example once per epoch");
        assertTrue(metrics.get("test_accuracy").asDouble() > 0.5, "learns: " + metrics.get("test_accuracy"));
        assertEquals(List.of(), warnings, "Spark storage warnings during the run");

        // The control: under the same limit, caching the same pixels in memory warns, so the run above did test it.
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("control")
                .set("spark.ui.enabled", "false"))) {
            sc.parallelize(IntStream.range(0, 6000).boxed().toList(), 4).map(i -> new byte[784])
                    .persist(StorageLevel.MEMORY_ONLY()).count();
        }
        assertFalse(warnings.stream().noneMatch(w -> w.contains("Not enough space to cache")),
                "caching 4.7 MB in memory under the limit should warn: " + warnings);
    }
}
