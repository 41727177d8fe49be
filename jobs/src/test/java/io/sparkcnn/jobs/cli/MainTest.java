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

/** The command line turns bad input into one clear line and exit code 2, before any Spark work. */
class MainTest {
    private final StringWriter err = new StringWriter();

    private int train(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "train";
        System.arraycopy(args, 0, full, 1, args.length);
        return cli.execute(full);
    }

    @Test
    void anUnknownKeyIsNamedWithTheNearestKnownOne(@TempDir Path tmp) {
        int code = train("../conf/lenet5-fashion.conf", "--set", "training.epoch=2", "--out", tmp.resolve("r").toString());

        assertEquals(2, code);
        assertTrue(err.toString().contains("'training.epoch'"), err.toString());
        assertTrue(err.toString().contains("training.epochs"), err.toString());
        assertFalse(Files.exists(tmp.resolve("r")));
    }

    @Test
    void aNonIdxDataFileIsNamedBeforeTraining(@TempDir Path tmp) throws Exception {
        Path bogus = tmp.resolve("train-images-idx3-ubyte.gz");
        Files.writeString(bogus, "this is not an IDX file\n");

        int code = train("../conf/lenet5-fashion.conf", "--set", "data.train-images=" + bogus,
                "--out", tmp.resolve("r").toString());

        assertEquals(2, code);
        assertTrue(err.toString().contains(bogus.toString()), err.toString());
        assertTrue(err.toString().contains("magic"), err.toString());
        assertFalse(Files.exists(tmp.resolve("r")), "nothing is written to the output folder");
    }

    @Test
    void anInvalidValueIsNamedWithWhatIsAllowed() {
        int code = train("../conf/lenet5-fashion.conf", "--set", "training.updater=lion");

        assertEquals(2, code);
        assertTrue(err.toString().contains("training.updater"), err.toString());
        assertTrue(err.toString().contains("adam"), err.toString());
    }
}
