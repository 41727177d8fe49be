package io.sparkcnn.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageNetTreeTest {
    @TempDir
    Path dir;

    @Test
    void writesAnImageNetShapedTreeOfDecodableJpegsOfMixedSizesTheSameWhateverTheThreadCount() throws Exception {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        assertEquals(0, BenchMain.commandLine().execute("imagenet-tree", "--out", one.toString(), "--files", "205",
                "--classes", "20", "--val-per-class", "2", "--threads", "1", "--json", dir.resolve("t.json").toString()));
        assertEquals(0, BenchMain.commandLine().execute("imagenet-tree", "--out", two.toString(), "--files", "205",
                "--classes", "20", "--val-per-class", "2", "--threads", "2"));

        List<Path> train = files(one.resolve("train"));
        assertEquals(205, train.size());
        assertEquals(40, files(one.resolve("val")).size());
        try (Stream<Path> classes = Files.list(one.resolve("train"))) {
            assertEquals(20, classes.filter(Files::isDirectory).count());
        }
        assertTrue(Files.exists(one.resolve("train/n01000000/n01000000_10.JPEG")), "11 files in the first class");
        Set<String> sizes = new HashSet<>();
        for (Path f : train) {
            BufferedImage image = ImageIO.read(f.toFile());
            assertTrue(image != null && Math.min(image.getWidth(), image.getHeight()) >= 64, f.toString());
            sizes.add(image.getWidth() + "x" + image.getHeight());
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(two.resolve(one.relativize(f))), f.toString());
        }
        assertTrue(sizes.size() > 50, "mixed sizes: " + sizes.size() + " distinct in 205 files");
        JsonNode facts = new ObjectMapper().readTree(dir.resolve("t.json").toFile());
        assertEquals(205, facts.get("train_files").asInt());
        assertTrue(facts.get("bytes").asLong() > 205 * 1000L, facts.toString());
    }

    @Test
    void classesDifferInShapeForegroundOrBackground() {
        Set<ImageNetTree.Look> looks = new HashSet<>();
        for (int c = 0; c < 1000; c++) {
            looks.add(ImageNetTree.Look.of(c));
        }
        assertEquals(1000, looks.size());
        assertNotEquals(ImageNetTree.Look.of(0), ImageNetTree.Look.of(5));
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
