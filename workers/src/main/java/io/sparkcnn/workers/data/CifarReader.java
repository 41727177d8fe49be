package io.sparkcnn.workers.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads CIFAR-10 and CIFAR-100 binary batches through Hadoop's FileSystem API ({@code file:}, {@code hdfs:},
 * {@code s3a:}). A record is its label byte(s) then 3072 pixel bytes, already in the channel-height-width
 * order of {@link LabeledImage}. Ids follow file order then record order, so they are the same on every run.
 */
public final class CifarReader {
    private CifarReader() {}

    /** The training split: {@code data_batch_1..5.bin} for CIFAR-10, {@code train.bin} for CIFAR-100. */
    public static CifarSet readTrain(String folder, Configuration hadoop, CifarLabels layout) {
        return readSplit(folder, hadoop, layout, true);
    }

    /** The test split: {@code test_batch.bin} for CIFAR-10, {@code test.bin} for CIFAR-100. */
    public static CifarSet readTest(String folder, Configuration hadoop, CifarLabels layout) {
        return readSplit(folder, hadoop, layout, false);
    }

    private static CifarSet readSplit(String folder, Configuration hadoop, CifarLabels layout, boolean train) {
        Path dir = datasetFolder(folder, hadoop, layout, train);
        List<String> files = new ArrayList<>();
        List<LabeledImage> images = new ArrayList<>();
        for (String name : layout.files(train)) {
            String file = new Path(dir, name).toString();
            files.add(file);
            images.addAll(readBatch(file, hadoop, layout, images.size()));
        }
        return new CifarSet(List.copyOf(files), classNames(dir, hadoop, layout), images);
    }

    /** One batch file; its records get ids {@code firstId, firstId + 1, ...}. */
    public static List<LabeledImage> readBatch(String path, Configuration hadoop, CifarLabels layout, long firstId) {
        Path p = new Path(path);
        int recordBytes = layout.recordBytes();
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            FileStatus status = status(fs, p);
            long length = status.getLen();
            if (length == 0 || length % recordBytes != 0) {
                throw new DataException(path + ": " + length + " bytes is not a whole number of " + layout
                        + " records of " + recordBytes + " bytes; the file is truncated or not a " + layout
                        + " binary batch.");
            }
            long records = length / recordBytes;
            List<LabeledImage> images = new ArrayList<>((int) records);
            byte[] record = new byte[recordBytes];
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(fs.open(p), 1 << 16))) {
                for (long i = 0; i < records; i++) {
                    in.readFully(record);
                    int label = record[layout.labelOffset()] & 0xff;
                    if (label >= layout.classes()) {
                        throw new DataException(path + ": record " + i + " has label " + label + ", not below the "
                                + layout.classes() + " classes of " + layout + "; is it the right dataset?");
                    }
                    byte[] pixels = new byte[layout.recordBytes() - layout.labelBytes()];
                    System.arraycopy(record, layout.labelBytes(), pixels, 0, pixels.length);
                    images.add(new LabeledImage(firstId + i, label, pixels));
                }
            }
            return images;
        } catch (EOFException e) {
            throw new DataException(path + ": ends before the size it reported; was it being written?", e);
        } catch (IOException e) {
            throw new DataException(path + ": cannot be read (" + e.getMessage() + ").", e);
        }
    }

    /** The class names from the dataset's names file, or "0", "1", ... when the folder has none. */
    static List<String> classNames(Path dir, Configuration hadoop, CifarLabels layout) {
        Path file = new Path(dir, layout.namesFile());
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                List<String> numbers = new ArrayList<>();
                for (int i = 0; i < layout.classes(); i++) {
                    numbers.add(Integer.toString(i));
                }
                return List.copyOf(numbers);
            }
            List<String> names = new ArrayList<>();
            try (InputStream in = fs.open(file)) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                    if (!line.isBlank()) {
                        names.add(line.strip());
                    }
                }
            }
            if (names.size() != layout.classes()) {
                throw new DataException(file + ": names " + names.size() + " classes, but " + layout + " has "
                        + layout.classes() + "; is it the names file of another dataset?");
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ").", e);
        }
    }

    /** The folder itself, or the folder the official tarball unpacks to inside it. */
    private static Path datasetFolder(String folder, Configuration hadoop, CifarLabels layout, boolean train) {
        Path dir = new Path(folder);
        List<String> expected = layout.files(train);
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                throw new DataException(folder + ": no such folder. Check the data path in the job config.");
            }
            for (Path candidate : List.of(dir, new Path(dir, layout.archiveFolder()))) {
                if (fs.exists(new Path(candidate, expected.get(0)))) {
                    for (String name : expected) {
                        if (!fs.exists(new Path(candidate, name))) {
                            throw missing(candidate.toString(), layout, expected, name);
                        }
                    }
                    return candidate;
                }
            }
            throw missing(folder, layout, expected, expected.get(0));
        } catch (IOException e) {
            throw new DataException(folder + ": cannot be listed (" + e.getMessage() + ").", e);
        }
    }

    private static DataException missing(String folder, CifarLabels layout, List<String> expected, String name) {
        return new DataException(folder + ": has no " + name + "; a " + layout + " folder holds "
                + String.join(", ", expected) + " (the binary version, as unpacked from the official tarball;"
                + " also looked in its " + layout.archiveFolder() + "/ subfolder).");
    }

    private static FileStatus status(FileSystem fs, Path p) throws IOException {
        if (!fs.exists(p)) {
            throw new DataException(p + ": no such file. Check the data path in the job config.");
        }
        FileStatus status = fs.getFileStatus(p);
        if (status.isDirectory()) {
            throw new DataException(p + ": is a folder, not a CIFAR binary batch.");
        }
        return status;
    }
}
