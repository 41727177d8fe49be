package io.sparkcnn.jobs.cli;

import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.config.SourceFormat;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.jobs.architectures.Architectures;
import io.sparkcnn.jobs.architectures.summary.InputTypeWarnings;
import io.sparkcnn.jobs.architectures.summary.ModelSummary;
import io.sparkcnn.workers.data.ImageShape;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code summary}: the job's network layer by layer with the shape arithmetic (kernel, stride, padding, output
 * volume, parameters, receptive field, multiply-adds, activation memory), without reading data or starting
 * Spark. A geometry that does not fit fails here, naming the layer.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print the job's network, layer by layer, with its shape arithmetic.")
final class SummaryCommand implements Callable<Integer> {
    private static final Pattern SHAPE = Pattern.compile("(\\d+)x(\\d+)x(\\d+)");

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The job's config file.")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--input", paramLabel = "WxHxC", description = "The input volume, e.g. 227x227x3"
            + " (default: the job's data, 28x28x1 for the Fashion-MNIST jobs).")
    String input;

    @Option(names = "--classes", paramLabel = "N", description = "Classes (default: the job's class names,"
            + " else 1000).")
    Integer classes;

    @Override
    public Integer call() {
        JobConfig job = JobConfig.load(config, overrides);
        ImageShape shape = input != null ? parse(input) : job.data().format() == SourceFormat.IDX ? new ImageShape(1, 28, 28)
                : job.data().format() == SourceFormat.CIFAR ? new ImageShape(3, 32, 32) : null;
        if (shape == null) {
            throw new ConfigError("summary: give the input volume with --input WxHxC for " + job.data().format()
                    + " data.");
        }
        int channels = job.data().channels() == 0 ? shape.channels() : job.data().channels();
        shape = JobData.outputShape(job.data().preprocess(), new ImageShape(channels, shape.height(), shape.width()));
        int n = classes != null ? classes : job.classNames().isEmpty() ? 1000 : job.classNames().size();
        ImageShape input = shape;
        ModelSummary summary = InputTypeWarnings.silenced(
                () -> ModelSummary.of(Architectures.build(job, input, n), input));
        System.out.printf("%s on %s, %d classes%n%s%n", job.model().architecture(), shape, n,
                summary.render());
        return 0;
    }

    private static ImageShape parse(String text) {
        Matcher m = SHAPE.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigError("--input " + text + ": expected WIDTHxHEIGHTxCHANNELS, for example 227x227x3.");
        }
        return new ImageShape(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)));
    }
}
