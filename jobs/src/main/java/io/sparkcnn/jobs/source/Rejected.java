package io.sparkcnn.jobs.source;

import io.sparkcnn.workers.data.folder.ScanProblem;
import io.sparkcnn.workers.image.BadImageException;
import java.io.Serializable;
import java.util.Locale;

/**
 * A file (or folder) left out of a dataset, with a short reason code to count and group by ({@code corrupt},
 * {@code truncated}, {@code empty file}, {@code file in root}, ...) and the full message for the user.
 */
public record Rejected(String path, String reason, String detail) implements Serializable {
    public static final String SMALLER_THAN_CROP = "smaller than the crop";

    public static Rejected of(ScanProblem problem) {
        String reason = problem.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return new Rejected(problem.path(), reason, problem.kind().explanation());
    }

    public static Rejected of(BadImageException bad) {
        return new Rejected(bad.path(), bad.reason().text(), bad.getMessage());
    }

    @Override
    public String toString() {
        return path + " (" + reason + ")";
    }
}
