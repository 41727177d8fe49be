package io.sparkcnn.workers.data.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.folder.ScanProblem.Kind;
import io.sparkcnn.workers.image.BadImageException;
import io.sparkcnn.workers.image.BadImageException.Reason;
import io.sparkcnn.workers.image.ImageDecoder;
import io.sparkcnn.workers.testing.ImageTrees;
import io.sparkcnn.workers.testing.ImageTrees.Plant;
import io.sparkcnn.workers.testing.ImageTrees.Planted;
import io.sparkcnn.workers.testing.ImageTrees.Spec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderScannerTest {
    private static final Configuration HADOOP = new Configuration();
    private static final SplitFractions NO_SPLIT = new SplitFractions(0, 0, 1);
    private static final Map<Plant, Kind> SCANNER_FINDS = Map.of(Plant.ZERO_BYTE_FILE, Kind.EMPTY_FILE,
            Plant.HIDDEN_FILE, Kind.HIDDEN_FILE, Plant.EMPTY_CLASS, Kind.EMPTY_CLASS,
            Plant.FILE_IN_ROOT, Kind.FILE_IN_ROOT, Plant.CLASS_MISSING_FROM_VAL, Kind.CLASS_MISSING_FROM_SPLIT);
    private static final Map<Plant, Reason> DECODER_FINDS = Map.of(Plant.CORRUPT_JPEG, Reason.CORRUPT,
            Plant.TRUNCATED_JPEG, Reason.TRUNCATED, Plant.TEXT_AS_JPEG, Reason.NOT_AN_IMAGE);

    @TempDir
    Path dir;

    @Test
    void everyPlantedProblemIsFoundByTheScannerOrTheDecoderAndNothingElse() throws IOException {
        ImageTrees.Tree tree = ImageTrees.write(dir, new Spec(3, 3, 16, false, Set.of(Plant.values())).without(
                Plant.CLASS_MISSING_FROM_VAL));

        FolderScan scan = FolderScanner.scan(dir.toString(), HADOOP, NO_SPLIT);

        assertEquals(expectedProblems(tree), found(scan.problems()));
        Map<String, Reason> failures = new HashMap<>();
        for (FolderEntry entry : scan.entries()) {
            try {
                ImageDecoder.decode(Files.readAllBytes(local(entry.path())), entry.path(), 3);
            } catch (DataException e) {
                failures.put(local(entry.path()).toString(), BadImageException.in(e).orElseThrow().reason());
            }
        }
        Map<String, Reason> planted = tree.planted().stream().filter(p -> DECODER_FINDS.containsKey(p.plant()))
                .collect(Collectors.toMap(p -> p.path().toString(), p -> DECODER_FINDS.get(p.plant())));
        assertEquals(planted, failures);
        assertEquals(tree.images().size() + planted.size(), scan.entries().size());
    }

    @Test
    void labelsAreSortedClassNamesAndNestedFilesBelongToTheirClass() {
        ImageTrees.Tree tree = ImageTrees.write(dir, Spec.of(3, 4, Plant.EMPTY_CLASS));

        FolderScan scan = FolderScanner.scan(dir.toString(), HADOOP, NO_SPLIT);

        assertEquals(List.of("apple", "banana", "cherry", "zz_empty"), scan.classes().names());
        Map<String, Integer> labelByFile = scan.entries().stream()
                .collect(Collectors.toMap(e -> local(e.path()).toString(), FolderEntry::label));
        for (ImageTrees.Drawn drawn : tree.images()) {
            assertEquals(drawn.label(), labelByFile.get(drawn.path().toString()), drawn.path().toString());
        }
        assertTrue(labelByFile.keySet().stream().anyMatch(p -> p.contains("/more/")));
        FolderEntry first = scan.entries().get(0);
        assertEquals(local(first.path()).toFile().length(), first.bytes());
        assertEquals("apple", first.className());
    }

    @Test
    void trainAndValFoldersAreUsedAsTheyAreAndAMissingClassIsReported() {
        ImageTrees.Tree tree = ImageTrees.write(dir, Spec.of(3, 2, Plant.CLASS_MISSING_FROM_VAL).withTrainAndVal());

        FolderScan scan = FolderScanner.scan(dir.toString(), HADOOP, new SplitFractions(0.5, 0, 1));

        assertEquals(expectedProblems(tree), found(scan.problems()));
        assertEquals(3, scan.classes().size());
        for (FolderEntry entry : scan.entries()) {
            String folder = dir.relativize(local(entry.path())).getName(0).toString();
            assertEquals(folder, entry.split().folder(), entry.path());
        }
        assertEquals(6, scan.entries(Split.TRAIN).size());
        assertEquals(4, scan.entries(Split.VAL).size());
    }

    @Test
    void theSplitIsStratifiedCompleteAndReproducibleFromTheSeed() {
        ImageTrees.write(dir, new Spec(3, 20, 8, false, Set.of()));

        FolderScan scan = FolderScanner.scan(dir.toString(), HADOOP, new SplitFractions(0.2, 0.1, 42));

        for (int label = 0; label < 3; label++) {
            int l = label;
            Map<Split, Long> counts = scan.entries().stream().filter(e -> e.label() == l)
                    .collect(Collectors.groupingBy(FolderEntry::split, Collectors.counting()));
            assertEquals(Map.of(Split.TRAIN, 14L, Split.VAL, 4L, Split.TEST, 2L), counts, "class " + label);
        }
        assertEquals(60, new HashSet<>(scan.entries().stream().map(FolderEntry::path).toList()).size());
        assertEquals(splits(scan), splits(FolderScanner.scan(dir.toString(), HADOOP, new SplitFractions(0.2, 0.1, 42))));
        assertNotEquals(splits(scan), splits(FolderScanner.scan(dir.toString(), HADOOP, new SplitFractions(0.2, 0.1, 43))));
    }

    @Test
    void aMissingRootIsNamed() {
        String root = dir.resolve("nowhere").toString();

        DataException error = assertThrows(DataException.class, () -> FolderScanner.scan(root, HADOOP, NO_SPLIT));

        assertTrue(error.getMessage().startsWith(root + ": no such folder"), error.getMessage());
    }

    @Test
    void aRootWithoutClassFoldersIsNamed() throws IOException {
        Files.write(dir.resolve("a.jpg"), new byte[] {1});

        DataException error = assertThrows(DataException.class,
                () -> FolderScanner.scan(dir.toString(), HADOOP, NO_SPLIT));

        assertTrue(error.getMessage().contains(": holds no class folders"), error.getMessage());
        assertTrue(error.getMessage().contains(dir.toString()), error.getMessage());
    }

    @Test
    void theClassIndexRoundTripsThroughJson() {
        ClassIndex index = ClassIndex.of(List.of("dog", "cat", "say \"cheese\""));

        ClassIndex back = ClassIndex.fromJson(index.toJson(), "classes.json");

        assertEquals(index, back);
        assertEquals(0, back.label("cat"));
        assertEquals("dog", back.name(1));
        assertThrows(DataException.class, () -> ClassIndex.fromJson("{\"labels\": []}", "x.json"));
    }

    private static Set<String> expectedProblems(ImageTrees.Tree tree) {
        Set<String> expected = new HashSet<>();
        for (Planted planted : tree.planted()) {
            if (SCANNER_FINDS.containsKey(planted.plant())) {
                expected.add(planted.path() + " " + SCANNER_FINDS.get(planted.plant()));
            }
        }
        return expected;
    }

    private static Set<String> found(List<ScanProblem> problems) {
        return problems.stream().map(p -> local(p.path()) + " " + p.kind()).collect(Collectors.toSet());
    }

    private static Map<String, Split> splits(FolderScan scan) {
        return scan.entries().stream().collect(Collectors.toMap(FolderEntry::path, FolderEntry::split));
    }

    private static Path local(String hadoopPath) {
        return Path.of(URI.create(hadoopPath).getPath());
    }
}
