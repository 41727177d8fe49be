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

    /** The same, with {@code attempts} YARN application-master attempts. */
    static YarnHdfsCluster.Submit train(String name, String out, List<String> data, List<String> more, int attempts) {
        YarnHdfsCluster.Submit s = train(name, out, data, more);
        return new YarnHdfsCluster.Submit(name, List.of("spark.yarn.maxAppAttempts=" + attempts), s.files(), s.args());
    }

    /** Any other command of the application, with one application-master attempt. */
    static YarnHdfsCluster.Submit command(String name, List<String> args) {
        return new YarnHdfsCluster.Submit(name, List.of("spark.yarn.maxAppAttempts=1"), confFiles(), args);
    }

    static List<String> confFiles() {
        return java.util.stream.Stream.of("lenet5-fashion.conf", "fashion-mnist.conf", "fashion-folder.conf",
                "fashion-shards.conf").map(c -> YarnHdfsCluster.ROOT.resolve("conf").resolve(c).toString()).toList();
    }

    static String read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Waits until the stopped-or-running run bound for {@code out} has written a checkpoint to HDFS. */
    static void awaitCheckpoint(YarnHdfsCluster cluster, String out, Process submit, java.time.Duration timeout)
            throws InterruptedException {
        Path run = new Path(out);
        Path checkpoints = new Path(run.getParent(), "." + run.getName() + ".incomplete/checkpoints");
        YarnHdfsCluster.waitFor(timeout, "a checkpoint in " + checkpoints, () -> {
            if (!submit.isAlive()) {
                throw new AssertionError("spark-submit ended before the run wrote a checkpoint to " + checkpoints);
            }
            try {
                FileSystem fs = cluster.fs();
                return fs.exists(checkpoints) && fs.listStatus(checkpoints, p -> p.getName().matches("ckpt-.*\\.bin"))
                        .length > 0;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The first string under {@code "key"} in a JSON text. */
    static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no \"" + key + "\" in " + json.substring(0, Math.min(600, json.length())));
        }
        return m.group(1);
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
