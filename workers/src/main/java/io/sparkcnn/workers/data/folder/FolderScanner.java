package io.sparkcnn.workers.data.folder;

import io.sparkcnn.workers.Seeds;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.folder.ScanProblem.Kind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists an ImageNet-style tree, {@code root/<class>/<image>} or {@code root/train|val|test/<class>/<image>},
 * through Hadoop's FileSystem API. Splits missing from the tree are carved out of {@code train}, stratified by
 * class and reproducible from the seed. File contents are never read here: one listing per class folder, so
 * that millions of files on HDFS or S3 cost listings, not reads; bad image data is the decoder's to find.
 */
public final class FolderScanner {
    private FolderScanner() {}

    public static FolderScan scan(String root, Configuration hadoop, SplitFractions fractions) {
        Path rootPath = new Path(root);
        try {
            FileSystem fs = rootPath.getFileSystem(hadoop);
            if (!fs.exists(rootPath) || !fs.getFileStatus(rootPath).isDirectory()) {
                throw new DataException(root + ": no such folder. Check the data path in the job config.");
            }
            return new Scan(fs).run(rootPath, fractions);
        } catch (FileNotFoundException e) {
            throw new DataException(root + ": vanished while being listed (" + e.getMessage() + ").", e);
        } catch (IOException e) {
            throw new DataException(root + ": cannot be listed (" + e.getMessage() + ").", e);
        }
    }

    /** The state of one scan: the problems found so far. */
    private static final class Scan {
        private final FileSystem fs;
        private final List<ScanProblem> problems = new ArrayList<>();

        Scan(FileSystem fs) {
            this.fs = fs;
        }

        FolderScan run(Path root, SplitFractions fractions) throws IOException {
            FileStatus[] top = sorted(fs.listStatus(root));
            boolean presplit = Arrays.stream(top).anyMatch(s -> s.isDirectory()
                    && s.getPath().getName().equals(Split.TRAIN.folder()));
            Map<Split, SortedMap<String, List<FileStatus>>> bySplit = new EnumMap<>(Split.class);
            Map<Split, Path> splitRoots = new EnumMap<>(Split.class);
            if (presplit) {
                for (FileStatus status : top) {
                    Split split = splitNamed(status);
                    if (split != null) {
                        splitRoots.put(split, status.getPath());
                        bySplit.put(split, classes(status.getPath()));
                    } else if (isHidden(status.getPath().getName())) {
                        problems.add(new ScanProblem(status.getPath().toString(), Kind.HIDDEN_FILE));
                    } else {
                        problems.add(new ScanProblem(status.getPath().toString(),
                                status.isDirectory() ? Kind.UNKNOWN_FOLDER : Kind.FILE_IN_ROOT));
                    }
                }
            } else {
                bySplit.put(Split.TRAIN, classes(root));
            }
            TreeSet<String> names = new TreeSet<>();
            bySplit.values().forEach(classes -> names.addAll(classes.keySet()));
            if (names.isEmpty()) {
                throw new DataException(root + ": holds no class folders. A folder dataset is laid out as"
                        + " root/<class>/<image> or root/train/<class>/<image> (with val/ and test/ beside train/).");
            }
            reportMissingClasses(splitRoots, bySplit, names);
            ClassIndex index = ClassIndex.of(names);
            List<FolderEntry> entries = new ArrayList<>();
            for (Map.Entry<Split, SortedMap<String, List<FileStatus>>> split : bySplit.entrySet()) {
                for (Map.Entry<String, List<FileStatus>> files : split.getValue().entrySet()) {
                    int label = index.label(files.getKey());
                    if (split.getKey() == Split.TRAIN) {
                        carve(files.getKey(), label, files.getValue(), fractions, !bySplit.containsKey(Split.VAL),
                                !bySplit.containsKey(Split.TEST), entries);
                    } else {
                        files.getValue().forEach(f -> entries.add(entry(f, label, files.getKey(), split.getKey())));
                    }
                }
            }
            entries.sort(Comparator.comparing(FolderEntry::path));
            problems.sort(Comparator.comparing(ScanProblem::path));
            return new FolderScan(root.toString(), index, List.copyOf(entries), List.copyOf(problems));
        }

        /** The class folders under {@code dir}, each with its usable files (sorted), nested ones included. */
        private SortedMap<String, List<FileStatus>> classes(Path dir) throws IOException {
            SortedMap<String, List<FileStatus>> classes = new TreeMap<>();
            for (FileStatus status : sorted(fs.listStatus(dir))) {
                String name = status.getPath().getName();
                if (isHidden(name)) {
                    problems.add(new ScanProblem(status.getPath().toString(), Kind.HIDDEN_FILE));
                } else if (!status.isDirectory()) {
                    problems.add(new ScanProblem(status.getPath().toString(), Kind.FILE_IN_ROOT));
                } else {
                    List<FileStatus> files = files(status.getPath());
                    if (files.isEmpty()) {
                        problems.add(new ScanProblem(status.getPath().toString(), Kind.EMPTY_CLASS));
                    }
                    classes.put(name, files);
                }
            }
            return classes;
        }

        private List<FileStatus> files(Path classDir) throws IOException {
            List<FileStatus> files = new ArrayList<>();
            int prefix = classDir.toString().length() + 1;
            for (FileStatus file : walk(classDir)) {
                String path = file.getPath().toString();
                boolean hidden = Arrays.stream(path.substring(prefix).split("/")).anyMatch(FolderScanner::isHidden);
                if (hidden) {
                    problems.add(new ScanProblem(path, Kind.HIDDEN_FILE));
                } else if (file.getLen() == 0) {
                    problems.add(new ScanProblem(path, Kind.EMPTY_FILE));
                } else {
                    files.add(file);
                }
            }
            files.sort(Comparator.comparing(f -> f.getPath().toString()));
            return files;
        }

        /**
         * Every file under {@code dir}, by plain {@code listStatus} calls: {@code listFiles(dir, true)} builds a
         * located status per file, which on the local file system forks a shell per file to read permissions
         * (about 10 ms each; hours for millions of files), while this walk costs one call per folder.
         */
        private List<FileStatus> walk(Path dir) throws IOException {
            List<FileStatus> out = new ArrayList<>();
            for (FileStatus status : fs.listStatus(dir)) {
                if (status.isDirectory()) {
                    out.addAll(walk(status.getPath()));
                } else {
                    out.add(status);
                }
            }
            return out;
        }

        private void reportMissingClasses(Map<Split, Path> splitRoots,
                                          Map<Split, SortedMap<String, List<FileStatus>>> bySplit,
                                          TreeSet<String> names) {
            for (Map.Entry<Split, Path> split : splitRoots.entrySet()) {
                for (String name : names) {
                    if (!bySplit.get(split.getKey()).containsKey(name)) {
                        problems.add(new ScanProblem(new Path(split.getValue(), name).toString(),
                                Kind.CLASS_MISSING_FROM_SPLIT));
                    }
                }
            }
        }
    }

    /**
     * Splits one class's training files: a seeded shuffle per class (so every class keeps its share, and
     * adding a class does not reshuffle the others), the first files to validation, the next to test.
     */
    static void carve(String className, int label, List<FileStatus> files, SplitFractions fractions,
                      boolean carveVal, boolean carveTest, List<FolderEntry> into) {
        List<FileStatus> shuffled = new ArrayList<>(files);
        Collections.shuffle(shuffled, new Random(Seeds.of(fractions.seed(), "folder-split/" + className)));
        int n = shuffled.size();
        int val = carveVal ? (int) Math.round(n * fractions.validation()) : 0;
        int test = carveTest ? Math.min(n - val, (int) Math.round(n * fractions.test())) : 0;
        for (int i = 0; i < n; i++) {
            Split split = i < val ? Split.VAL : i < val + test ? Split.TEST : Split.TRAIN;
            into.add(entry(shuffled.get(i), label, className, split));
        }
    }

    private static FolderEntry entry(FileStatus file, int label, String className, Split split) {
        return new FolderEntry(file.getPath().toString(), label, className, split, file.getLen());
    }

    private static Split splitNamed(FileStatus status) {
        if (status.isDirectory()) {
            for (Split split : Split.values()) {
                if (split.folder().equals(status.getPath().getName())) {
                    return split;
                }
            }
        }
        return null;
    }

    /** Dot files are Finder, editor and version-control litter (.DS_Store, ._x, .git), never training data. */
    static boolean isHidden(String name) {
        return name.startsWith(".");
    }

    private static FileStatus[] sorted(FileStatus[] statuses) {
        Arrays.sort(statuses, Comparator.comparing(s -> s.getPath().getName()));
        return statuses;
    }
}
