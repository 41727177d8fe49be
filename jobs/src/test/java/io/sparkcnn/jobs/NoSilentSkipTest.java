package io.sparkcnn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.testing.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No test of any module skips itself: a green build means every test ran. A test that needs something the
 * machine lacks fails saying what to install ({@link FashionMnist#require()}), or generates what it needs.
 */
class NoSilentSkipTest {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    /** JUnit's ways of not running a test: assumptions, and the disabling and conditional annotations. */
    private static final Pattern SKIP = Pattern.compile(
            "\\bassume(True|False|That)\\s*\\(|\\bassumingThat\\s*\\(|\\bAssumptions\\b|\\bAssume\\b"
                    + "|@Disabled\\b|@(En|Dis)abled(If|On|For)\\w*");

    @Test
    void noTestSourceSkipsItself() throws IOException {
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (String module : List.of("workers", "driver", "jobs", "bench")) {
            Path tests = PROJECT.resolve(module).resolve("src/test/java");
            if (!Files.isDirectory(tests)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(tests)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    if (file.endsWith("NoSilentSkipTest.java")) {
                        continue;
                    }
                    scanned++;
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (SKIP.matcher(lines.get(i)).find()) {
                            found.add(PROJECT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }

        assertTrue(scanned > 50, "the test sources were found under " + PROJECT + " (" + scanned + " files)");
        assertEquals(List.of(), found, "tests that skip instead of failing or generating their data");
    }

    @Test
    void aMissingDataSetFailsNamingWhatToInstall() {
        String message = FashionMnist.missing(Path.of("/nowhere/train-images-idx3-ubyte.gz"));

        assertTrue(message.contains("/nowhere/train-images-idx3-ubyte.gz"), message);
        assertTrue(message.contains("apt-get install dataset-fashion-mnist"), message);
    }
}
