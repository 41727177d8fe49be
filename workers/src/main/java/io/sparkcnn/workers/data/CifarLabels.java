package io.sparkcnn.workers.data;

import io.sparkcnn.workers.params.ParamChoice;
import java.util.List;
import java.util.Locale;

/**
 * Which CIFAR binary layout to read and which of its labels to train on: the file names, the record length,
 * where the label byte sits in a record, how many classes there are and where their names are written.
 */
public enum CifarLabels implements ParamChoice {
    CIFAR_10(1, 0, 10, "batches.meta.txt", "cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                    "data_batch_5.bin"), List.of("test_batch.bin")),
    /** CIFAR-100's 100 fine classes; a record holds the coarse label first, then the fine one. */
    CIFAR_100_FINE(2, 1, 100, "fine_label_names.txt", "cifar-100-binary", List.of("train.bin"),
            List.of("test.bin")),
    /** CIFAR-100's 20 superclasses. */
    CIFAR_100_COARSE(2, 0, 20, "coarse_label_names.txt", "cifar-100-binary", List.of("train.bin"),
            List.of("test.bin"));

    /** As configuration spells it: cifar10, cifar100-fine, cifar100-coarse. */
    @Override
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace("_1", "1").replace('_', '-');
    }

    @Override
    public String toString() {
        return word();
    }

    public static final ImageShape SHAPE = new ImageShape(3, 32, 32);

    private final int labelBytes;
    private final int labelOffset;
    private final int classes;
    private final String namesFile;
    private final String archiveFolder;
    private final List<String> trainFiles;
    private final List<String> testFiles;

    CifarLabels(int labelBytes, int labelOffset, int classes, String namesFile, String archiveFolder,
                List<String> trainFiles, List<String> testFiles) {
        this.labelBytes = labelBytes;
        this.labelOffset = labelOffset;
        this.classes = classes;
        this.namesFile = namesFile;
        this.archiveFolder = archiveFolder;
        this.trainFiles = trainFiles;
        this.testFiles = testFiles;
    }

    public int recordBytes() {
        return labelBytes + SHAPE.pixels();
    }

    public int labelBytes() {
        return labelBytes;
    }

    public int labelOffset() {
        return labelOffset;
    }

    public int classes() {
        return classes;
    }

    public String namesFile() {
        return namesFile;
    }

    /** The folder the official tarball unpacks to, looked into when the given folder lacks the files. */
    public String archiveFolder() {
        return archiveFolder;
    }

    public List<String> files(boolean train) {
        return train ? trainFiles : testFiles;
    }
}
