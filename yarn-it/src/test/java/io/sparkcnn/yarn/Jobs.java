package io.sparkcnn.yarn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The application's command lines the specs submit, and reading what the runs wrote. */
final class Jobs {
    /**
     * The job config as --files puts it in the driver's container: linked into its working folder, next to the
     * fashion-mnist.conf it includes (the "./" gives the include a folder to resolve in).
     */
    static final String CONFIG = "./lenet5-fashion.conf";

    private Jobs() {}

    /**
     * {@code train} of the shipped LeNet-5 job, shipped to the driver's container with {@code --files} as a user
     * would, cut to one short epoch on the given data, checkpointing every few rounds, writing to {@code out}.
     */
    static YarnHdfsCluster.Submit train(String name, String out, List<String> data, List<String> more) {
        List<String> args = new ArrayList<>(List.of("train", CONFIG, "--out", out,
                "--progress", "lines",
                "--set", "training.epochs=1",
                "--set", "training.checkpoint-every-rounds=2"));
        for (String d : data) {
            args.add("--set");
            args.add(d);
        }
        args.addAll(more);
        return new YarnHdfsCluster.Submit(name, List.of("spark.yarn.maxAppAttempts=1"), confFiles(), args);
    }

    static List<String> confFiles() {
        return List.of(YarnHdfsCluster.ROOT.resolve("conf/lenet5-fashion.conf").toString(),
                YarnHdfsCluster.ROOT.resolve("conf/fashion-mnist.conf").toString());
    }

    static String read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first number under {@code "key"} in a JSON text. */
    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*([-0-9.eE]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no \"" + key + "\" in " + json.substring(0, Math.min(600, json.length())));
        }
        return Double.parseDouble(m.group(1));
    }
}
