package io.sparkcnn.workers.data.folder;

/** Which part of a dataset an image belongs to; the folder name is the one a pre-split tree uses. */
public enum Split {
    TRAIN("train"), VAL("val"), TEST("test");

    private final String folder;

    Split(String folder) {
        this.folder = folder;
    }

    public String folder() {
        return folder;
    }
}
