package io.sparkcnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code summary} on a geometry that cannot work: our message, naming the layer, and nothing of DL4J's. */
class SummaryCommandTest {

    /** Every event logged at WARN or above while it is attached to the root logger. */
    private static final class Recorder extends AbstractAppender {
        final List<String> events = new ArrayList<>();

        Recorder() {
            super("summary-test-recorder", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"4x4x1", "2x2x1", "9x9x1"})
    void anInputTooSmallForTheNetworkGetsOurErrorAloneWithoutDl4jWarnings(String input) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Recorder recorder = new Recorder();
        recorder.start();
        LoggerConfig root = config.getRootLogger();
        root.addAppender(recorder, Level.WARN, null);
        context.updateLoggers();
        StringWriter err = new StringWriter();
        int code;
        try {
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            code = cli.execute("summary", "../conf/lenet5-fashion.conf", "--input", input);
        } finally {
            root.removeAppender(recorder.getName());
            context.updateLoggers();
        }

        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("layer "), "our message names the layer: " + err);
        assertEquals(List.of(), recorder.events, "nothing but our message reaches the user");
    }

    @Test
    void aGoodGeometryStillPrintsTheTable() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));

        assertEquals(0, cli.execute("summary", "../conf/lenet5-fashion.conf"), err.toString());
        assertEquals(org.apache.logging.log4j.Level.WARN, LogManager.getLogger(
                "org.deeplearning4j.nn.conf.inputs.InputType").getLevel(), "the logger's level is restored");
    }
}
