package io.sparkcnn.workers.data.folder;

import java.io.Serializable;

/** Something in a dataset tree the scan left out or that looks like a mistake, with the path it concerns. */
public record ScanProblem(String path, Kind kind) implements Serializable {
    public enum Kind {
        FILE_IN_ROOT("a file where class folders belong; move it into its class folder or out of the tree"),
        UNKNOWN_FOLDER("a folder next to train/ that is not val/ or test/; it was ignored"),
        EMPTY_CLASS("a class folder with no images; the class will never be seen"),
        CLASS_MISSING_FROM_SPLIT("a class that another split has is missing here"),
        EMPTY_FILE("a zero-byte file; it was skipped"),
        HIDDEN_FILE("a hidden file (such as .DS_Store); it was skipped");

        private final String explanation;

        Kind(String explanation) {
            this.explanation = explanation;
        }

        public String explanation() {
            return explanation;
        }
    }

    @Override
    public String toString() {
        return path + ": " + kind.explanation();
    }
}
