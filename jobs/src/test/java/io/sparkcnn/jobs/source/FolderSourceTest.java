package io.sparkcnn.jobs.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.FolderEntry;
import io.sparkcnn.workers.data.folder.FolderScan;
import io.sparkcnn.workers.data.folder.FolderScanner;
import io.sparkcnn.workers.data.folder.Split;
import io.sparkcnn.workers.data.folder.SplitFractions;
import io.sparkcnn.workers.testing.ImageTrees;
import io.sparkcnn.workers.testing.ImageTrees.Drawn;
import io.sparkcnn.workers.testing.ImageTrees.Plant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a folder tree on the executors and the validation pass, in Spark local mode. */
class FolderSourceTest {
    static JavaSparkContext sc;
    static ImageTrees.Tree tree;
    static FolderScan scan;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startSparkAndPlantATree() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("FolderSourceTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        sc.setLogLevel("WARN");
        tree = ImageTrees.write(tmp.resolve("tree"), new ImageTrees.Spec(3, 6, 32, false, EnumSet.of(
                Plant.CORRUPT_JPEG, Plant.TRUNCATED_JPEG, Plant.TEXT_AS_JPEG, Plant.ZERO_BYTE_FILE, Plant.CMYK_JPEG,
                Plant.EMPTY_CLASS, Plant.FILE_IN_ROOT)));
        scan = FolderScanner.scan(tree.root().toString(), sc.hadoopConfiguration(), new SplitFractions(0, 0, 42));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    @Test
    void readsEveryFileOnTheExecutorsWithIdsInScanOrder() throws IOException {
        List<LabeledImage> records = FolderSource.read(sc, scan, Split.TRAIN).collect();

        List<FolderEntry> entries = scan.entries(Split.TRAIN);
        assertEquals(entries.size(), records.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i, records.get(i).id());
            assertEquals(entries.get(i).path(), records.get(i).source());
            assertEquals(entries.get(i).label(), records.get(i).label());
            assertArrayEquals(Files.readAllBytes(Path.of(local(entries.get(i).path()))), records.get(i).pixels());
        }
    }

    @Test
    void skipKeepsTheGoodRenumberedAndReturnsExactlyThePlantedBadOnesWithTheirReasons() {
        JavaRDD<LabeledImage> records = FolderSource.read(sc, scan, Split.TRAIN);

        Validated checked = FolderSource.validate(scan, Split.TRAIN, records, new ImageCheck(3, 0),
                BadDataPolicy.skip(0.5));

        List<LabeledImage> good = checked.good().collect();
        assertEquals(tree.images().size(), checked.count());
        assertArrayEquals(LongStream.range(0, good.size()).toArray(), good.stream().mapToLong(LabeledImage::id)
                .toArray(), "renumbered 0..n-1 in scan order");
        Map<String, Integer> labels = tree.images().stream().collect(Collectors.toMap(d -> d.path().toString(),
                Drawn::label));
        assertEquals(labels, good.stream().collect(Collectors.toMap(r -> local(r.source()), LabeledImage::label)));
        assertEquals(Map.of(planted(Plant.CORRUPT_JPEG), "corrupt", planted(Plant.TRUNCATED_JPEG), "truncated",
                        planted(Plant.TEXT_AS_JPEG), "not an image", planted(Plant.ZERO_BYTE_FILE), "empty file"),
                byPath(checked.badFiles()));
        assertEquals(Map.of(planted(Plant.EMPTY_CLASS), "empty class", planted(Plant.FILE_IN_ROOT), "file in root"),
                byPath(checked.notices()));
        assertEquals(6, checked.rejected().size(), "one report holds both");
    }

    @Test
    void imagesSmallerThanTheCropAreRejectedWithThatReason() {
        Validated checked = FolderSource.validate(scan, Split.TRAIN, FolderSource.read(sc, scan, Split.TRAIN),
                new ImageCheck(3, 33), BadDataPolicy.skip(1));

        assertEquals(0, checked.count());
        Set<String> reasons = checked.badFiles().stream().map(Rejected::reason).collect(Collectors.toSet());
        assertEquals(Set.of("corrupt", "truncated", "not an image", "empty file", Rejected.SMALLER_THAN_CROP), reasons);
        assertEquals(tree.images().size() + 4, checked.badFiles().size());
    }

    @Test
    void failPolicyFailsNamingTheFirstBadFile() {
        DataException e = assertThrows(DataException.class, () -> FolderSource.validate(scan, Split.TRAIN,
                FolderSource.read(sc, scan, Split.TRAIN), new ImageCheck(3, 0), BadDataPolicy.fail()));

        assertTrue(e.getMessage().startsWith("train: file:" + planted(Plant.CORRUPT_JPEG) + ": corrupt"),
                e.getMessage());
        assertTrue(e.getMessage().contains("3 more bad file(s)"), e.getMessage());
    }

    @Test
    void aBadFractionAboveTheMaximumFailsNamingTheCount() {
        DataException e = assertThrows(DataException.class, () -> FolderSource.validate(scan, Split.TRAIN,
                FolderSource.read(sc, scan, Split.TRAIN), new ImageCheck(3, 0), BadDataPolicy.skip(0.01)));

        assertTrue(e.getMessage().contains("4 of " + (tree.images().size() + 4) + " image files"), e.getMessage());
        assertTrue(e.getMessage().contains(planted(Plant.TRUNCATED_JPEG)), e.getMessage());
    }

    @Test
    void slicesFollowTheBytesAndTheFileCount() {
        List<FolderEntry> small = List.of(new FolderEntry("a", 0, "x", Split.TRAIN, 10));
        assertEquals(1, FolderSource.slices(4, small), "never more slices than files");
        List<FolderEntry> big = LongStream.range(0, 100)
                .mapToObj(i -> new FolderEntry("f" + i, 0, "x", Split.TRAIN, 4L << 20)).toList();
        assertEquals(13, FolderSource.slices(2, big), "400 MB in slices of 32 MB");
    }

    private static String planted(Plant plant) {
        return tree.plantedPath(plant).toString();
    }

    private static Map<String, String> byPath(List<Rejected> rejected) {
        return rejected.stream().collect(Collectors.toMap(r -> local(r.path()), Rejected::reason));
    }

    static String local(String path) {
        return new org.apache.hadoop.fs.Path(path).toUri().getPath();
    }
}
