package io.sparkcnn.workers.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads MNIST-format IDX files, gzipped or not, through Hadoop's FileSystem API so that {@code file:},
 * {@code hdfs:} and {@code s3a:} paths all work.
 *
 * <p>Written here because DL4J's {@code MnistManager} reads only uncompressed local files and its
 * {@code MnistDataFetcher} tries to download. Every problem is a {@link DataException} naming the file.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    public static IdxImages readImages(String path, Configuration hadoop) {
        return read(path, hadoop, (in, source, length) -> {
            int magic = in.readInt();
            expectMagic(source, magic, IMAGES_MAGIC, "an image file (idx3-ubyte)");
            int count = positive(source, "image count", in.readInt());
            int rows = positive(source, "row count", in.readInt());
            int cols = positive(source, "column count", in.readInt());
            long bytes = (long) count * rows * cols;
            length.check(source, 16, bytes, count + " images of " + rows + "x" + cols);
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new DataException(source + ": " + count + " images of " + rows + "x" + cols
                        + " do not fit in one array; split the file into parts under 2 GiB.");
            }
            byte[] pixels = readBody(in, source, (int) bytes, count + " images of " + rows + "x" + cols);
            return new IdxImages(source, count, rows, cols, pixels);
        });
    }

    /** Reads the labels, each checked to lie in {@code [0, classes)}. */
    public static byte[] readLabels(String path, Configuration hadoop, int classes) {
        return read(path, hadoop, (in, source, length) -> {
            int magic = in.readInt();
            expectMagic(source, magic, LABELS_MAGIC, "a label file (idx1-ubyte)");
            int count = positive(source, "label count", in.readInt());
            length.check(source, 8, count, count + " labels");
            byte[] labels = readBody(in, source, count, count + " labels");
            for (int i = 0; i < labels.length; i++) {
                int label = labels[i] & 0xff;
                if (label >= classes) {
                    throw new DataException(source + ": label " + label + " at index " + i + " is not below the "
                            + classes + " classes the job declares; check the file or the job's data.class-names.");
                }
            }
            return labels;
        });
    }

    private interface Body<T> {
        T read(DataInputStream in, String source, FileLength length) throws IOException;
    }

    /**
     * The file's length on disk, to refuse a header whose counts the file cannot hold before anything is
     * read or allocated: a damaged count is then reported as the corrupt or truncated file it is, not as a
     * file too large for one array.
     */
    private record FileLength(long bytes, boolean gzipped) {
        /** Deflate's best case is about 1032:1, so a gzipped file can never inflate to more than this. */
        private static final long DEFLATE_MAX_RATIO = 1032;

        void check(String source, int headerBytes, long bodyBytes, String what) {
            long needed = headerBytes + bodyBytes;
            if (!gzipped && bytes < needed) {
                throw new DataException(String.format("%s: corrupt or truncated file: its header announces %s"
                        + " (%,d bytes with the header) but the file is %,d bytes long. Fetch the file again.",
                        source, what, needed, bytes));
            }
            if (gzipped && needed > bytes * DEFLATE_MAX_RATIO) {
                throw new DataException(String.format("%s: corrupt or truncated file: its header announces %s"
                        + " (%,d bytes with the header) but the gzipped file is %,d bytes long, which can"
                        + " hold at most %,d. Fetch the file again.",
                        source, what, needed, bytes, bytes * DEFLATE_MAX_RATIO));
            }
        }
    }

    private static <T> T read(String path, Configuration hadoop, Body<T> body) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) {
                throw new DataException(path + ": no such file. Check the data path in the job config"
                        + " (for Fashion-MNIST: apt-get install dataset-fashion-mnist).");
            }
            if (fs.getFileStatus(p).isDirectory()) {
                throw new DataException(path + ": is a folder, not an IDX file.");
            }
            long fileBytes = fs.getFileStatus(p).getLen();
            try (InputStream raw = new BufferedInputStream(fs.open(p), 1 << 16);
                 InputStream content = maybeGunzip(raw);
                 DataInputStream in = new DataInputStream(content)) {
                return body.read(in, path, new FileLength(fileBytes, content != raw));
            }
        } catch (EOFException e) {
            throw new DataException(path + ": truncated: it ends early; the file is incomplete, fetch it again.", e);
        } catch (FileNotFoundException e) {
            throw new DataException(path + ": no such file. Check the data path in the job config.", e);
        } catch (IOException e) {
            throw new DataException(path + ": cannot be read (" + e.getMessage() + ").", e);
        }
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static void expectMagic(String source, int magic, int expected, String what) {
        if (magic != expected) {
            throw new DataException(String.format(
                    "%s: not %s: its magic number is 0x%08x, expected 0x%08x. Check that the job's data paths"
                            + " point at the right IDX files.", source, what, magic, expected));
        }
    }

    private static int positive(String source, String what, int value) {
        if (value <= 0) {
            throw new DataException(source + ": the header's " + what + " is " + value + "; the file is corrupt.");
        }
        return value;
    }

    private static byte[] readBody(DataInputStream in, String source, int bytes, String what) throws IOException {
        // readNBytes(n) grows its buffer as bytes arrive: a damaged header announcing 2 GiB costs no 2 GiB.
        byte[] body = in.readNBytes(bytes);
        int read = body.length;
        if (read < bytes) {
            throw new DataException(source + ": truncated: the header announces " + what + " (" + bytes
                    + " bytes) but only " + read + " follow. The file is incomplete; fetch it again.");
        }
        if (in.read() != -1) {
            throw new DataException(source + ": has bytes after the " + what + " its header announces;"
                    + " the file is corrupt or its header is wrong.");
        }
        return body;
    }
}
