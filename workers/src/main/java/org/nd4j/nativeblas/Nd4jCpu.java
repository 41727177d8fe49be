package org.nd4j.nativeblas;

/**
 * A bridge under an old name, so that DL4J 1.0.0-M2's oneDNN layer helpers attach.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper} decides whether the convolution, pooling, batch-norm and LRN layers may
 * use oneDNN by calling {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} through
 * reflection. M2's nd4j-native renamed that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN}, so the lookup fails and every
 * layer falls back to Java-side im2col (76% of stock LeNet-5 training time here). This class answers the old
 * question with the new binding; with the oneDNN build of nd4j-native selected (see NativeBackend) LeNet-5
 * trains about twice as fast. Nothing else in the project uses it.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {}

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
