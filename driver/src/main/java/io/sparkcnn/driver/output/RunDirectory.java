package io.sparkcnn.driver.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's output folder, written all or nothing: files go to a staging folder next to it, which is renamed
 * to the final name only when the run has succeeded. A failed run leaves no half-written output behind.
 */
public final class RunDirectory {
    private final Path target;
    private final Path staging;

    private RunDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /** The default output folder of a run: {@code parent/NAME-yyyyMMdd-HHmmss}, named when the run starts. */
    public static Path timestamped(Path parent, String name) {
        return parent.resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Checks that {@code target} can be written, before any work starts. */
    public static RunDirectory prepare(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        try {
            if (Files.exists(absolute)) {
                boolean empty;
                try (Stream<Path> entries = Files.list(absolute)) {
                    empty = entries.findAny().isEmpty();
                }
                if (!empty) {
                    throw new IllegalArgumentException("output folder " + absolute + " exists and is not empty;"
                            + " pass another --out or remove it.");
                }
            }
            Path parent = absolute.getParent();
            Files.createDirectories(parent);
            if (!Files.isWritable(parent)) {
                throw new IllegalArgumentException("cannot write in " + parent + "; pass another --out.");
            }
            Path staging = stagingOf(absolute);
            if (Files.isDirectory(staging.resolve("checkpoints"))) {
                throw new IllegalArgumentException("output folder " + absolute + " belongs to a stopped run with"
                        + " checkpoints in " + staging + "; continue it with --resume " + target
                        + ", or remove that folder to start over.");
            }
            deleteRecursively(staging);
            Files.createDirectories(staging);
            return new RunDirectory(absolute, staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output folder " + absolute + ": " + e.getMessage(), e);
        }
    }

    /**
     * The staging folder of a stopped run whose output was to be {@code target}, kept because it holds
     * checkpoints; the resumed run writes on into it and commits it as usual.
     */
    public static RunDirectory resume(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path staging = stagingOf(absolute);
        if (!Files.isDirectory(staging)) {
            throw new IllegalArgumentException("--resume " + target + ": no stopped run there (expected its"
                    + " staging folder " + staging + ").");
        }
        if (Files.exists(absolute)) {
            throw new IllegalArgumentException("--resume " + target + ": that run already finished.");
        }
        return new RunDirectory(absolute, staging);
    }

    /** Where a run bound for {@code target} writes until it commits. */
    public static Path stagingOf(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        return absolute.getParent().resolve("." + absolute.getFileName() + ".incomplete");
    }

    /** Where to write a file now; it appears under {@link #target()} at {@link #commit()}. */
    public Path file(String name) {
        return staging.resolve(name);
    }

    public Path target() {
        return target;
    }

    public void commit() {
        try {
            Files.deleteIfExists(target);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the finished run to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Drops the staging folder after a failure. */
    public void abandon() {
        try {
            deleteRecursively(staging);
        } catch (IOException ignored) {
            // Best effort: the failure that brought us here is what the user needs to see.
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
