package io.sparkcnn.jobs.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} run headless on a local page: the DOM after the page's scripts ran, and a
 * screenshot. A machine without it fails the test that needs it (CI installs it), rather than skipping.
 */
final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 180;

    private final String binary;
    private final Path profile;

    private HeadlessChromium(String binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** The browser on the PATH (or in {@code $CHROMIUM}), with a throwaway profile under {@code scratch}. */
    static HeadlessChromium find(Path scratch) throws IOException {
        String configured = System.getenv("CHROMIUM");
        List<String> candidates = configured != null ? List.of(configured) : List.of("chromium", "chromium-browser");
        for (String name : candidates) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = name.contains("/") ? Path.of(name) : Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return new HeadlessChromium(p.toString(), Files.createDirectories(scratch.resolve("profile")));
                }
            }
        }
        return fail("headless Chromium is needed to check report.html: apt-get install chromium (Debian), or set"
                + " CHROMIUM to the browser's path");
    }

    /** The page's DOM once it has loaded and its scripts have run. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(List.of("--virtual-time-budget=10000", "--dump-dom", page.toUri().toString()), null);
    }

    /** A PNG of the page's first {@code width} x {@code height} pixels. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png,
                page.toUri().toString()), png);
    }

    private String run(List<String> args, Path expectedFile) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--user-data-dir=" + profile));
        command.addAll(args);
        Path stdout = Files.createTempFile(profile, "stdout", ".txt");
        Path stderr = Files.createTempFile(profile, "stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (p.exitValue() != 0 || (expectedFile != null && !Files.isRegularFile(expectedFile))) {
            fail("chromium failed (exit " + p.exitValue() + "): " + command + "\n" + Files.readString(stderr));
        }
        return Files.readString(stdout);
    }
}
