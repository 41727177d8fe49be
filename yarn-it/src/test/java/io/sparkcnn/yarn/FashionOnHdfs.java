package io.sparkcnn.yarn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    static List<String> write(YarnHdfsCluster cluster, String dir, int train, int test) throws IOException {
        FileSystem fs = cluster.fs();
        copy(fs, "train-images-idx3-ubyte.gz", dir + "/train-images-idx3-ubyte", train);
        copy(fs, "train-labels-idx1-ubyte.gz", dir + "/train-labels-idx1-ubyte", train);
        copy(fs, "t10k-images-idx3-ubyte.gz", dir + "/t10k-images-idx3-ubyte", test);
        copy(fs, "t10k-labels-idx1-ubyte.gz", dir + "/t10k-labels-idx1-ubyte", test);
        return List.of(
                "data.train-images=" + cluster.hdfs(dir + "/train-images-idx3-ubyte"),
                "data.train-labels=" + cluster.hdfs(dir + "/train-labels-idx1-ubyte"),
                "data.test-images=" + cluster.hdfs(dir + "/t10k-images-idx3-ubyte"),
                "data.test-labels=" + cluster.hdfs(dir + "/t10k-labels-idx1-ubyte"));
    }

    /** Class folder names for the tree: the Fashion-MNIST labels, file-name safe. */
    static final String[] CLASSES = {"tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
            "bag", "boot"};

    /**
     * An ImageNet-style tree on HDFS, {@code root/train/<class>/N.png} and {@code root/test/<class>/N.png}, of the
     * first {@code train} and {@code test} Fashion-MNIST images as greyscale PNGs; returns the test images' count.
     */
    static int writeTree(YarnHdfsCluster cluster, String root, int train, int test) throws IOException {
        FileSystem fs = cluster.fs();
        writePngs(fs, root + "/train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", train);
        writePngs(fs, root + "/test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", test);
        return test;
    }

    private static void writePngs(FileSystem fs, String dir, String images, String labels, int count)
            throws IOException {
        try (DataInputStream img = new DataInputStream(new GZIPInputStream(Files.newInputStream(FASHION.resolve(images))));
             DataInputStream lab = new DataInputStream(new GZIPInputStream(Files.newInputStream(FASHION.resolve(labels))))) {
            img.readInt();
            img.readInt();
            int rows = img.readInt();
            int cols = img.readInt();
            lab.readInt();
            lab.readInt();
            byte[] pixels = new byte[rows * cols];
            // One HDFS create per file is slow on a busy machine: the files go up from a few threads at once.
            java.util.concurrent.ExecutorService uploads = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int i = 0; i < count; i++) {
                    img.readFully(pixels);
                    int label = lab.readUnsignedByte();
                    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(cols, rows,
                            java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                    image.getRaster().setDataElements(0, 0, cols, rows, pixels);
                    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
                    javax.imageio.ImageIO.write(image, "png", png);
                    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir + "/" + CLASSES[label] + "/" + i
                            + ".png");
                    done.add(uploads.submit(() -> {
                        try (java.io.OutputStream out = fs.create(file)) {
                            png.writeTo(out);
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get(5, java.util.concurrent.TimeUnit.MINUTES);
                }
            } catch (InterruptedException | java.util.concurrent.ExecutionException
                     | java.util.concurrent.TimeoutException e) {
                throw new IOException("writing the PNG tree to " + dir + ": " + e, e);
            } finally {
                uploads.shutdownNow();
            }
        }
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
