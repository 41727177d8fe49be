package io.sparkcnn.workers.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks ND4J's native build before ND4J loads: the oneDNN + AVX2 build of nd4j-native, with DL4J's layer
 * helpers switched on, when the CPU has AVX2 and that build is on the classpath; the generic one otherwise. JavaCPP reads the choice from the system
 * property {@value #EXTENSION} at load time, so this must run before the first ND4J call in a JVM; it is
 * called from the entry points and from the executor-side classes that touch ND4J first. An explicit
 * {@code -D}{@value #EXTENSION} wins, and {@code -Dsparkcnn.onednn=false} keeps the generic build.
 */
public final class NativeBackend {
    static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";
    /** DL4J M2 leaves its layer helpers (oneDNN among them) off unless this says "false". */
    static final String HELPERS_DISABLED = "org.eclipse.deeplearning4j.helpers.disable";
    private static final String ONEDNN = "-onednn-avx2";
    private static final String ONEDNN_LIBRARY =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + ONEDNN + "/libjnind4jcpu.so";

    private NativeBackend() {}

    public static synchronized void select() {
        if (System.getProperty(EXTENSION) != null || "false".equals(System.getProperty("sparkcnn.onednn"))) {
            return;
        }
        if (cpuHasAvx2() && NativeBackend.class.getClassLoader().getResource(ONEDNN_LIBRARY) != null) {
            System.setProperty(EXTENSION, ONEDNN);
            if (System.getProperty(HELPERS_DISABLED) == null) {
                System.setProperty(HELPERS_DISABLED, "false");
            }
        }
    }

    private static boolean cpuHasAvx2() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .anyMatch(line -> line.startsWith("flags") && line.matches(".*\\bavx2\\b.*"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
