package io.sparkcnn.driver.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's output folder appears whole at commit, or not at all. */
class RunDirectoryTest {
    @Test
    void filesAppearOnlyWhenTheRunCommits(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("runs/first");
        RunDirectory dir = RunDirectory.prepare(target);
        Files.writeString(dir.file("metrics.json"), "{}");

        assertFalse(Files.exists(target), "nothing under the final name before commit");
        dir.commit();

        assertEquals("{}", Files.readString(target.resolve("metrics.json")));
        assertFalse(Files.exists(tmp.resolve("runs/.first.incomplete")));
    }

    @Test
    void anAbandonedRunLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("run");
        RunDirectory dir = RunDirectory.prepare(target);
        Files.writeString(dir.file("model.zip"), "half");

        dir.abandon();

        assertFalse(Files.exists(target));
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "no staging folder left");
        }
    }

    @Test
    void anEmptyExistingFolderMayBeUsedButANonEmptyOneIsRefused(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        RunDirectory dir = RunDirectory.prepare(empty);
        Files.writeString(dir.file("metrics.json"), "{}");
        dir.commit();
        assertTrue(Files.exists(empty.resolve("metrics.json")));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.prepare(empty));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }
}
