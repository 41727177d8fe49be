package io.sparkcnn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.report.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.data.DataException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LeNet-5 job end to end in Spark local mode, on a subset of the real Fashion-MNIST. */
class TrainJobSpec {
    static final File CONF = new File("../conf/lenet5-fashion.conf");

    @BeforeAll
    static void needsData() {
        assumeTrue(new File("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz").isFile(),
                "needs Fashion-MNIST: apt-get install dataset-fashion-mnist");
    }

    @Test
    void leNet5LearnsFashionMnistFarBeyondChanceAndWritesALoadableModel(@TempDir Path tmp) throws Exception {
        JobConfig job = JobConfig.load(CONF, List.of("data.train-limit=8000", "data.test-limit=2000",
                "training.epochs=2", "training.evaluate-every-epoch=false"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path out = tmp.resolve("run");

        new TrainJob(job, out, null, new ConsoleReporter(new PrintStream(console, true))).run();

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        double accuracy = metrics.get("test_accuracy").asDouble();
        assertTrue(accuracy >= 0.75, "an untrained network scores ~0.10; got " + accuracy);
        assertEquals(2, metrics.get("epochs").asInt());
        assertTrue(metrics.get("train_images_per_second").asDouble() > 0);
        assertTrue(metrics.get("wall_seconds").asDouble() > 0);
        assertEquals(2, metrics.get("history").size());
        assertEquals(16000, metrics.get("examples_trained").asLong(), "every example once per epoch");

        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile());
        assertEquals(431_080, restored.numParams(), "LeNet-5 (Caffe form) for 28x28x1 and 10 classes");
        String printed = console.toString();
        assertTrue(printed.contains("round 1/"), "a progress line per round:\n" + printed);
        assertTrue(printed.contains("Ankle boot"), "the confusion matrix names the classes:\n" + printed);
        assertFalse(Files.exists(tmp.resolve(".run.incomplete")), "no staging folder is left behind");
    }

    @Test
    void aMissingDataFileStopsBeforeTrainingAndWritesNothing(@TempDir Path tmp) {
        JobConfig job = JobConfig.load(CONF, List.of("data.dir=" + tmp.resolve("nowhere")));
        Path out = tmp.resolve("run");

        DataException e = assertThrows(DataException.class,
                () -> new TrainJob(job, out, null, new ConsoleReporter(System.out)).run());

        assertTrue(e.getMessage().contains(tmp.resolve("nowhere").toString()), e.getMessage());
        assertFalse(Files.exists(out), "nothing is written to the output folder");
        assertFalse(Files.exists(tmp.resolve(".run.incomplete")), "nor its staging folder");
    }

    @Test
    void aNonEmptyOutputFolderIsRefusedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "earlier results");
        JobConfig job = JobConfig.load(CONF, List.of());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainJob(job, tmp, null, new ConsoleReporter(System.out)).run());

        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
        assertEquals("earlier results", Files.readString(tmp.resolve("keep.txt")));
    }
}
