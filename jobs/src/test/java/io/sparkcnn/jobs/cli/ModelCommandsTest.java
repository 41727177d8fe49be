package io.sparkcnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** predict, evaluate and visualize refuse a file that is not a spark-cnn model with one line naming it. */
class ModelCommandsTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void everyModelCommandNamesAModelFileThatIsNotAModel(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model.zip");
        Files.writeString(model, "not a zip");

        assertEquals(2, run("predict", "--model", model.toString(), "--input", tmp.toString(), "--out",
                tmp.resolve("p.csv").toString()));
        assertEquals(2, run("evaluate", "--model", model.toString(), "../conf/lenet5-fashion.conf", "--out",
                tmp.resolve("eval").toString()));
        assertEquals(2, run("visualize", "--model", model.toString()));

        assertEquals(3, err.toString().lines().filter(l -> l.startsWith("error: --model " + model)).count(),
                err.toString());
        assertFalse(Files.exists(tmp.resolve("p.csv")) || Files.exists(tmp.resolve("eval"))
                || Files.exists(tmp.resolve("visualize")), "nothing is written");
    }

    @Test
    void visualizeWantsTheConfigOfTheTestImageItIsGiven() {
        assertEquals(2, run("visualize", "--model", "model.zip", "--index", "3"));
        assertTrue(err.toString().contains("--index 3"), err.toString());
    }

    @Test
    void predictRefusesATestTimeAugmentationItDoesNotKnowNamingTheChoicesBeforeReadingTheModel(@TempDir Path tmp) {
        assertEquals(2, run("predict", "--model", tmp.resolve("absent.zip").toString(), "--input", tmp.toString(),
                "--out", tmp.resolve("p.csv").toString(), "--test-time-augment", "tencrop"));

        assertTrue(err.toString().contains("error: --test-time-augment (as data.test-time-augment): 'tencrop' is not"
                + " one of [none, flip, ten-crop]. Did you mean 'ten-crop'?"), err.toString());
        assertFalse(err.toString().contains("absent.zip"), "refused before the model is read: " + err);
    }
}
