package io.sparkcnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up steps of {@code scripts/lib/setup.sh} install and build only what is missing: run on a machine
 * that lacks everything, each {@code ensure_*} installs once, and run again it installs and builds nothing.
 *
 * <p>The scripts run for real in bash, from a copy of {@code scripts/} in a folder laid out like the project;
 * only what they call to change the machine is replaced: {@code sudo}, {@code apt-get} (which "installs" a
 * package by writing the commands and files it would bring) and {@code mvn} (which writes the jars), each
 * recording its call. The PATH holds those and the few basic tools the scripts use, nothing else.
 */
class SetupScriptSpec {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> TOOLS = List.of("bash", "dirname", "basename", "cat", "grep", "find", "awk",
            "sed", "head", "mkdir", "touch", "chmod", "seq", "rm", "cp", "cut", "tr");

    @TempDir
    Path tmp;
    Path root;
    Path bin;
    Path calls;

    @BeforeEach
    void aMachineWithNothingInstalled() throws IOException {
        root = tmp.resolve("project");
        Files.createDirectories(root.resolve("scripts/lib"));
        for (String f : List.of("common.sh", "setup.sh")) {
            Files.copy(PROJECT.resolve("scripts/lib").resolve(f), root.resolve("scripts/lib").resolve(f));
        }
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        for (String module : List.of("workers", "driver", "jobs", "bench")) {
            Files.createDirectories(root.resolve(module + "/src/main/java"));
            Files.writeString(root.resolve(module + "/pom.xml"), "<project/>");
            Files.writeString(root.resolve(module + "/src/main/java/A.java"), "class A {}");
        }
        bin = Files.createDirectories(tmp.resolve("bin"));
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : TOOLS) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(tools.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
        calls = tmp.resolve("calls.log");
        Files.writeString(calls, "");
        // Not root, so that the scripts go through sudo.
        stub("id", "echo 1000");
        stub("sudo", "echo \"sudo $*\" >> " + calls + "; exec \"$@\"");
        stub("apt-get", String.join("\n",
                "echo \"apt-get $*\" >> " + calls,
                "[[ $1 == install ]] || exit 0",
                "for p in \"$@\"; do",
                "  case $p in",
                "    dataset-fashion-mnist) mkdir -p " + tmp.resolve("fashion")
                        + " && touch " + tmp.resolve("fashion/train-images-idx3-ubyte.gz") + " ;;",
                // A machine's worth of fonts: more than a pipe holds, so a reader that stops early SIGPIPEs it.
                "    fontconfig) printf '#!/bin/bash\\nseq -f \"/usr/share/fonts/DejaVuSans-%%g.ttf: DejaVu Sans\""
                        + " 1 20000\\n' > " + bin.resolve("fc-list") + "; chmod +x " + bin.resolve("fc-list") + " ;;",
                "    chromium|jq) printf '#!/bin/bash\\n' > " + bin + "/$p; chmod +x " + bin + "/$p ;;",
                "    openjdk-17-jdk-headless) printf '#!/bin/bash\\n' > " + bin.resolve("java")
                        + "; chmod +x " + bin.resolve("java") + " ;;",
                "    maven) cp " + bin.resolve("mvn.stub") + " " + bin.resolve("mvn") + "; chmod +x " + bin.resolve("mvn")
                        + " ;;",
                "  esac",
                "done"));
        // What `apt-get install maven` brings: an mvn that writes the jars a package build makes.
        Files.writeString(bin.resolve("mvn.stub"), String.join("\n", "#!/bin/bash",
                "echo \"mvn $*\" >> " + calls,
                "case \"$*\" in",
                "  *'-pl jobs'*) mkdir -p " + root.resolve("jobs/target") + " && touch "
                        + root.resolve("jobs/target/spark-cnn-jobs-0.1.0-SNAPSHOT-app.jar") + " "
                        + root.resolve("jobs/target/launcher.classpath") + " ;;",
                "  *'-pl bench'*) mkdir -p " + root.resolve("bench/target") + " && touch "
                        + root.resolve("bench/target/spark-cnn-bench-0.1.0-SNAPSHOT-app.jar") + " "
                        + root.resolve("bench/target/launcher.classpath") + " ;;",
                "esac", ""));
    }

    private void stub(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Sources setup.sh as scripts/train does (errexit, pipefail) and runs {@code commands}; the calls made. */
    private List<String> run(String commands) throws Exception {
        long before = Files.readAllLines(calls).size();
        ProcessBuilder pb = new ProcessBuilder(tmp.resolve("tools/bash").toString(), "-c",
                "set -euo pipefail; source " + root.resolve("scripts/lib/setup.sh") + "; " + commands)
                .directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", bin + ":" + tmp.resolve("tools"));
        env.put("HOME", tmp.toString());
        env.put("SPARK_CNN_FASHION_MNIST_DIR", tmp.resolve("fashion").toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "setup.sh did not finish");
        assertEquals(0, p.exitValue(), commands + ":\n" + output);
        List<String> all = Files.readAllLines(calls);
        return all.subList((int) before, all.size());
    }

    @Test
    void everyEnsureStepInstallsWhatIsMissingOnceAndNothingTheSecondTime() throws Exception {
        List<String> steps = List.of("ensure_maven", "ensure_dataset", "ensure_fonts", "ensure_chromium",
                "ensure_jq", "ensure_build", "ensure_bench_build");
        for (String step : steps) {
            List<String> first = run(step);
            List<String> second = run(step);

            assertTrue(!first.isEmpty() || step.equals("ensure_chromium"), step + " installed nothing at first");
            assertEquals(List.of(), second, step + " run a second time");
        }
        List<String> all = Files.readAllLines(calls);
        assertEquals(1, all.stream().filter(c -> c.startsWith("apt-get install -y -qq fontconfig")).count(), "" + all);
        assertEquals(1, all.stream().filter(c -> c.startsWith("apt-get install -y -qq chromium")).count(), "" + all);
        assertTrue(all.contains("sudo apt-get install -y -qq dataset-fashion-mnist"), "" + all);
        assertEquals(2, all.stream().filter(c -> c.startsWith("mvn ") && c.contains(" package ")).count(), "" + all);
    }

    @Test
    void chromiumBringsItsFontsAndASecondCallInstallsNeither() throws Exception {
        List<String> first = run("ensure_chromium");

        assertTrue(first.contains("apt-get install -y -qq fontconfig fonts-dejavu-core"), "" + first);
        assertTrue(first.contains("apt-get install -y -qq chromium"), "" + first);
        assertEquals(List.of(), run("ensure_chromium; ensure_fonts"));
    }

    @Test
    void aSourceNewerThanTheJarsBuildsAgainAndOnlyThen() throws Exception {
        run("ensure_maven; ensure_build");
        assertEquals(List.of(), run("ensure_build"));
        Path source = root.resolve("driver/src/main/java/A.java");
        Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 10_000));

        List<String> again = run("ensure_build");

        assertEquals(1, again.size(), "" + again);
        assertTrue(again.get(0).startsWith("mvn ") && again.get(0).contains("-pl jobs"), again.get(0));
    }
}
