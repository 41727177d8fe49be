package io.sparkcnn.jobs.architectures;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * Refuses a model zip that DL4J's loader would read with Java deserialisation. {@code ModelSerializer.restore*}
 * reads the configuration JSON and the parameter arrays in ND4J's binary format, but also hands a
 * {@code preprocessor.bin} entry to an {@code ObjectInputStream}: from an unknown source that would instantiate
 * whatever classes the file names. Our runs never write that entry, so a zip that has it is refused unread.
 */
final class ModelZipCheck {
    /** The entries {@code restoreMultiLayerNetwork} and {@code restoreComputationGraph} deserialise as Java objects. */
    static final List<String> JAVA_SERIALISED = List.of("preprocessor.bin");

    private ModelZipCheck() {}

    static void refuseJavaSerialised(File zipFile) throws IOException {
        try (ZipFile zip = new ZipFile(zipFile)) {
            for (String name : JAVA_SERIALISED) {
                if (zip.getEntry(name) != null) {
                    throw new IOException("it has a '" + name + "' entry, which DL4J would read with Java"
                            + " deserialisation; only the configuration JSON and the parameter arrays are read from"
                            + " a model zip, so this one is refused unread");
                }
            }
        }
    }
}
