package io.sparkcnn.yarn;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * An in-process HDFS (one NameNode, one DataNode) and YARN (one ResourceManager, one NodeManager), their client
 * configuration in a folder, and {@code spark-submit --master yarn --deploy-mode cluster} of the application jar
 * against them through the Spark home that scripts/spark-home assembles. Every wait is bounded; {@link #close()}
 * stops both clusters whatever happened.
 */
final class YarnHdfsCluster implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("sparkcnn.root", "..")).toAbsolutePath().normalize();
    static final Path APP_JAR = Path.of(System.getProperty("sparkcnn.app.jar",
            ROOT.resolve("jobs/target/spark-cnn-jobs-0.1.0-SNAPSHOT-app.jar").toString()));
    static final Path SPARK_HOME = Path.of(System.getProperty("sparkcnn.spark.home",
            ROOT.resolve("scripts/spark-home/target/spark-home").toString()));
    static final Path JVM_OPTIONS = ROOT.resolve("conf/jvm-options");
    static final String MAIN_CLASS = "io.sparkcnn.jobs.cli.Main";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern APP_ID = Pattern.compile("application_\\d+_\\d+");

    private final Path work;
    private final Path confDir;
    private MiniDFSCluster dfs;
    private MiniYARNCluster yarn;
    private YarnClient client;

    private YarnHdfsCluster(Path work) {
        this.work = work;
        this.confDir = work.resolve("hadoop-conf");
    }

    /** Starts HDFS, then YARN on it, within {@link #START_TIMEOUT}; on any failure stops what had started. */
    static YarnHdfsCluster start(Path work) throws Exception {
        for (Path needed : List.of(APP_JAR, SPARK_HOME.resolve("jars"))) {
            if (!Files.exists(needed)) {
                throw new IllegalStateException(needed + " is missing: build it first (mvn package -pl jobs -am,"
                        + " which also assembles scripts/spark-home)");
            }
        }
        YarnHdfsCluster c = new YarnHdfsCluster(work);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<?> started = starter.submit(() -> {
                c.startClusters();
                return null;
            });
            started.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return c;
        } catch (Exception e) {
            c.close();
            throw e instanceof TimeoutException ? new IllegalStateException("the mini clusters did not start within "
                    + START_TIMEOUT, e) : e;
        } finally {
            starter.shutdownNow();
        }
    }

    private void startClusters() throws Exception {
        Configuration hdfsConf = new Configuration();
        hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("hdfs").toString());
        hdfsConf.setInt("dfs.replication", 1);
        dfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(1).build();
        dfs.waitActive();

        YarnConfiguration conf = new YarnConfiguration(dfs.getConfiguration(0));
        conf.set("yarn.resourcemanager.hostname", "localhost");
        // Room for an application master (the driver, in cluster mode) and two executors with ND4J's off-heap
        // buffers; the machine's memory is the real limit, so YARN's own memory checks are off.
        conf.setInt("yarn.nodemanager.resource.memory-mb", 6144);
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        // A full build disk must not mark the only node unhealthy.
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // The minicluster ships no capacity-scheduler.xml: one queue with everything, open to everyone.
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
        conf.set("yarn.scheduler.capacity.root.default.user-limit-factor", "1");
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.set("yarn.scheduler.capacity.node-locality-delay", "-1");
        // Killed containers' logs and folders are what a failing spec needs to be read: keep them a while.
        conf.setInt("yarn.nodemanager.delete.debug-delay-sec", 600);
        yarn = new MiniYARNCluster("spark-cnn", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        waitFor(Duration.ofMinutes(1), "the ResourceManager's address",
                () -> !yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0"));
        writeClientConfig();
        client = YarnClient.createYarnClient();
        client.init(yarn.getConfig());
        client.start();
    }

    /** core-site, hdfs-site and yarn-site for spark-submit (and the containers it starts). */
    private void writeClientConfig() throws IOException {
        Files.createDirectories(confDir);
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", dfs.getURI().toString());
        write(core, "core-site.xml");
        Configuration hdfs = new Configuration(false);
        hdfs.set("dfs.replication", "1");
        write(hdfs, "hdfs-site.xml");
        Configuration site = new Configuration(false);
        for (Map.Entry<String, String> e : yarn.getConfig()) {
            if (e.getKey().startsWith("yarn.")) {
                site.set(e.getKey(), e.getValue());
            }
        }
        write(site, "yarn-site.xml");
    }

    private void write(Configuration conf, String name) throws IOException {
        try (OutputStream out = Files.newOutputStream(confDir.resolve(name))) {
            conf.writeXml(out);
        }
    }

    FileSystem fs() {
        try {
            return dfs.getFileSystem();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An absolute {@code hdfs://host:port/...} URI for {@code path}. */
    String hdfs(String path) {
        return dfs.getURI() + path;
    }

    Optional<ApplicationReport> report(String appId) throws Exception {
        if (appId == null) {
            return Optional.empty();
        }
        return Optional.of(client.getApplicationReport(ApplicationId.fromString(appId)));
    }

    int attempts(String appId) throws Exception {
        return client.getApplicationAttempts(ApplicationId.fromString(appId)).size();
    }

    /** A spark-submit: its Spark settings, the files to ship, and the application's arguments. */
    record Submit(String name, List<String> conf, List<String> files, List<String> args) {}

    /** What spark-submit left: its exit code, its output, and the YARN application it started. */
    record Submitted(int exitCode, String log, Path logFile, String appId, double seconds) {
        String describe() {
            String tail = log.length() > 6000 ? log.substring(log.length() - 6000) : log;
            return "spark-submit exit " + exitCode + ", application " + appId + ", log " + logFile + ":\n" + tail;
        }
    }

    /** Starts spark-submit in cluster mode; {@link #await} waits for it. */
    Process launch(Submit s) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "@" + JVM_OPTIONS, "-Xmx512m",
                "-cp", confDir + File.pathSeparator + SPARK_HOME.resolve("jars") + File.separator + "*",
                "org.apache.spark.deploy.SparkSubmit",
                "--master", "yarn", "--deploy-mode", "cluster", "--class", MAIN_CLASS, "--name", s.name(),
                "--driver-memory", "1g", "--executor-memory", "1g", "--num-executors", "2", "--executor-cores", "1",
                // Same host: the containers use this machine's Spark jars instead of an upload per submit.
                "--conf", "spark.yarn.jars=local:" + SPARK_HOME.resolve("jars") + "/*",
                "--conf", "spark.driver.extraJavaOptions=@" + JVM_OPTIONS,
                "--conf", "spark.executor.extraJavaOptions=@" + JVM_OPTIONS,
                "--conf", "spark.yarn.appMasterEnv.OMP_WAIT_POLICY=PASSIVE",
                "--conf", "spark.yarn.submit.waitAppCompletion=true",
                "--conf", "spark.yarn.report.interval=2s"));
        for (String c : s.conf()) {
            cmd.add("--conf");
            cmd.add(c);
        }
        if (!s.files().isEmpty()) {
            cmd.add("--files");
            cmd.add(String.join(",", s.files()));
        }
        cmd.add("local:" + APP_JAR);
        cmd.addAll(s.args());
        Path log = work.resolve(s.name() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HADOOP_CONF_DIR", confDir.toString());
        pb.environment().put("YARN_CONF_DIR", confDir.toString());
        pb.environment().put("SPARK_HOME", SPARK_HOME.toString());
        pb.environment().remove("SPARK_LOCAL_IP");
        return pb.start();
    }

    Path logOf(Submit s) {
        return work.resolve(s.name() + ".log");
    }

    /** Waits for a launched spark-submit, killing it after {@code timeout}. */
    Submitted await(Submit s, Process p, long startNanos, Duration timeout) throws Exception {
        boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String log = Files.readString(logOf(s), StandardCharsets.UTF_8);
        Matcher m = APP_ID.matcher(log);
        String appId = m.find() ? m.group() : null;
        Submitted result = new Submitted(done ? p.exitValue() : -1, log, logOf(s), appId,
                (System.nanoTime() - startNanos) / 1e9);
        if (!done) {
            if (appId != null) {
                client.killApplication(ApplicationId.fromString(appId));
            }
            throw new AssertionError("spark-submit did not finish within " + timeout + "; " + result.describe());
        }
        return result;
    }

    Submitted submit(Submit s, Duration timeout) throws Exception {
        long start = System.nanoTime();
        return await(s, launch(s), start, timeout);
    }

    /** The YARN application id that a running spark-submit has reported so far. */
    Optional<String> appIdSoFar(Submit s) throws IOException {
        Matcher m = APP_ID.matcher(Files.readString(logOf(s), StandardCharsets.UTF_8));
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** spark-submit's output and the end of every container's logs: what a failed spec needs to show. */
    String diagnose(Submitted s) {
        String logs;
        try {
            logs = s.appId() == null ? "" : containerLogs(s.appId());
        } catch (IOException e) {
            logs = "(container logs unreadable: " + e + ")";
        }
        StringBuilder out = new StringBuilder(s.describe()).append("\ncontainer logs:\n");
        for (String part : logs.split("(?m)^(?===> )")) {
            out.append(part.length() > 4000 ? part.substring(0, 200) + "\n...\n" + part.substring(part.length() - 3800)
                    : part);
        }
        return out.toString();
    }

    /** The container logs (stdout, stderr) of {@code appId} that the NodeManager wrote, for assertions. */
    String containerLogs(String appId) throws IOException {
        StringBuilder all = new StringBuilder();
        // The NodeManager's own configuration: the minicluster gives each NodeManager its log folders there.
        for (String dir : yarn.getNodeManager(0).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
            Path appLogs = Path.of(dir.replaceFirst("^file:", "")).resolve(appId);
            if (!Files.isDirectory(appLogs)) {
                continue;
            }
            try (var files = Files.walk(appLogs)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    all.append("==> ").append(f).append('\n').append(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return all.toString();
    }

    /** The process of a running container of {@code appId} whose command line holds {@code mainClass}. */
    static Optional<ProcessHandle> containerProcess(String appId, String mainClass) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains(mainClass) && c.contains(appId) && !c.startsWith("bash") && !c.contains("/bin/bash"))
                .orElse(false)).findFirst();
    }

    static void waitFor(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        if (client != null) {
            client.stop();
        }
        if (yarn != null) {
            yarn.stop();
        }
        if (dfs != null) {
            dfs.shutdown();
        }
    }
}
