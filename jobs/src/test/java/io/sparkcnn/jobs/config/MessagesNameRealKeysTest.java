package io.sparkcnn.jobs.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.augment.AugmentRegistry;
import io.sparkcnn.workers.params.Param;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every key a message names is a real one: the string literals of every module's main sources are scanned for
 * dotted names under data., model. and training., and each must be a declared key (issue 18, item 4).
 */
class MessagesNameRealKeysTest {
    /** Surefire runs in the module folder; the modules are its siblings. */
    private static final List<Path> SOURCES = Stream.of("workers", "driver", "jobs", "bench")
            .map(m -> Path.of("..", m, "src", "main", "java")).toList();
    private static final Pattern LITERAL = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"",
            Pattern.DOTALL);
    private static final Pattern KEY = Pattern.compile(
            "(?<![\\w.-])(?:data|model|training)\\.[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*");
    /** File names that look like keys: model.zip is the saved model, not a key. */
    private static final Pattern FILE_NAME = Pattern.compile(".*\\.(zip|json|csv|png|html|conf|txt|bin|gz)$");

    @Test
    void everyKeyNamedInAMainSourceLiteralIsDeclared() throws IOException {
        Set<String> declared = new HashSet<>(JobKeys.ALL.keys());
        for (Param<?> p : AugmentRegistry.preprocessParams()) {
            declared.add(JobKeys.DATA_PREPROCESS.key() + "." + p.key());
        }
        List<String> unknown = new ArrayList<>();
        int found = 0;
        for (Path root : SOURCES) {
            assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " should hold main sources");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(f -> f.toString().endsWith(".java")).toList();
            }
            for (Path file : files) {
                Matcher literal = LITERAL.matcher(Files.readString(file));
                while (literal.find()) {
                    String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
                    Matcher key = KEY.matcher(text);
                    while (key.find()) {
                        String name = key.group();
                        if (FILE_NAME.matcher(name).matches()) {
                            continue;
                        }
                        found++;
                        if (!declared.contains(name)) {
                            unknown.add(name + " in " + file.getFileName());
                        }
                    }
                }
            }
        }
        assertTrue(found > 50, "the scan should find the keys the messages name, found " + found);
        assertTrue(unknown.isEmpty(), "messages name keys that do not exist: " + unknown);
    }

    @Test
    void theScanCatchesAKeyThatDoesNotExist() {
        Matcher key = KEY.matcher("check the file or the job's model.classes.");
        assertTrue(key.find() && key.group().equals("model.classes") && !JobKeys.ALL.contains(key.group()));
    }
}
