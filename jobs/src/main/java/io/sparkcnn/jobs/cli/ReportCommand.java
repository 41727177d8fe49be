package io.sparkcnn.jobs.cli;

import io.sparkcnn.jobs.report.RunReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code report RUN_DIR}: (re)writes a run's report.html and figures from its metrics.json. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html and its PNG figures from RUN_DIR/metrics.json.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The output folder of a train or evaluate run.")
    Path runDir;

    @Override
    public Integer call() {
        Path page = RunReport.write(runDir);
        System.out.println("wrote " + page.toAbsolutePath());
        return 0;
    }
}
