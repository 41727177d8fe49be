package io.sparkcnn.yarn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileSystem;

/**
 * The first images of the installed Fashion-MNIST written to HDFS as smaller IDX files (the IDX header's count
 * cut down, the records copied as they are), so that a spec trains on real images in seconds.
 */
final class FashionOnHdfs {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionOnHdfs() {}

    /** Writes train and test IDX files under {@code dir}; returns the four {@code --set data.*} overrides. */
    static java.util.List<String> write(YarnHdfsCluster cluster, String dir, int train, int test) throws IOException {
        FileSystem fs = cluster.fs();
        copy(fs, "train-images-idx3-ubyte.gz", dir + "/train-images-idx3-ubyte", train);
        copy(fs, "train-labels-idx1-ubyte.gz", dir + "/train-labels-idx1-ubyte", train);
        copy(fs, "t10k-images-idx3-ubyte.gz", dir + "/t10k-images-idx3-ubyte", test);
        copy(fs, "t10k-labels-idx1-ubyte.gz", dir + "/t10k-labels-idx1-ubyte", test);
        return java.util.List.of(
                "data.train-images=" + cluster.hdfs(dir + "/train-images-idx3-ubyte"),
                "data.train-labels=" + cluster.hdfs(dir + "/train-labels-idx1-ubyte"),
                "data.test-images=" + cluster.hdfs(dir + "/t10k-images-idx3-ubyte"),
                "data.test-labels=" + cluster.hdfs(dir + "/t10k-labels-idx1-ubyte"));
    }

    private static void copy(FileSystem fs, String source, String target, int count) throws IOException {
        Path file = FASHION.resolve(source);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: install the dataset-fashion-mnist package");
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
             DataOutputStream out = new DataOutputStream(fs.create(new org.apache.hadoop.fs.Path(target)))) {
            int magic = in.readInt();
            int dims = magic & 0xff;
            int total = in.readInt();
            if (count > total) {
                throw new IllegalArgumentException(source + " holds " + total + " records, not " + count);
            }
            out.writeInt(magic);
            out.writeInt(count);
            long recordBytes = 1;
            for (int d = 1; d < dims; d++) {
                int size = in.readInt();
                out.writeInt(size);
                recordBytes *= size;
            }
            byte[] records = new byte[Math.toIntExact(recordBytes * count)];
            in.readFully(records);
            out.write(records);
        }
    }
}
