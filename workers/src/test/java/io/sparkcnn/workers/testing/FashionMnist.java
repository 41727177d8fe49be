package io.sparkcnn.workers.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Debian package's Fashion-MNIST, for the tests that check the real data set or the shipped jobs on it.
 * Without it such a test fails saying what to install; it is never skipped, so that a green build means the
 * test ran. Tests of the engine itself generate their data instead ({@link SyntheticIdx}).
 */
public final class FashionMnist {
    public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnist() {}

    /** Fails the calling test, naming the package, unless the four files are installed. */
    public static void require() {
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            if (!Files.isRegularFile(DIR.resolve(f))) {
                throw new AssertionError(missing(DIR.resolve(f)));
            }
        }
    }

    /** What a test says when {@code file} is missing: which file, and what to install. */
    public static String missing(Path file) {
        return "this test needs Fashion-MNIST, and " + file + " is missing: install it with"
                + " `apt-get install dataset-fashion-mnist` (scripts/test does), then run the test again.";
    }
}
