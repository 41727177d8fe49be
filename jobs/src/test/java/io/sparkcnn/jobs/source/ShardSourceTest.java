package io.sparkcnn.jobs.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.prepare.PrepareJob;
import io.sparkcnn.jobs.prepare.PrepareOptions;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.Split;
import io.sparkcnn.workers.data.folder.SplitFractions;
import io.sparkcnn.workers.testing.ImageTrees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading prepared shards back, and the errors when a folder is not what its manifest says. */
class ShardSourceTest {
    static SparkSession spark;
    static Path prepared;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void prepareATinyTree() {
        spark = SparkSession.builder().config(PrepareJob.sparkConf("local[2]").set("spark.ui.enabled", "false"))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        ImageTrees.Tree tree = ImageTrees.write(tmp.resolve("tree"), ImageTrees.Spec.of(2, 5));
        prepared = tmp.resolve("shards");
        new PrepareJob(new PrepareOptions(tree.root().toString(), prepared, 3, 0, new SplitFractions(0.2, 0, 7),
                BadDataPolicy.fail(), 3, null), new ConsoleReporter(new PrintStream(new ByteArrayOutputStream())))
                .run(spark);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void readsEverySplitInShardOrderWithTheManifestsClasses() {
        ShardSource source = ShardSource.open(prepared.toString(), hadoop());

        List<LabeledImage> train = source.read(JavaSparkContext.fromSparkContext(spark.sparkContext()), Split.TRAIN)
                .collect();

        assertEquals(List.of("apple", "banana"), source.classes().names());
        assertEquals(8, source.count(Split.TRAIN));
        assertEquals(8, train.size());
        for (int i = 0; i < train.size(); i++) {
            assertEquals(i, train.get(i).id());
            assertEquals(train.get(i).label(), train.get(i).source().contains("/apple/") ? 0 : 1);
        }
        assertTrue(train.stream().map(LabeledImage::source).sorted().toList()
                .equals(train.stream().map(LabeledImage::source).toList()), "ids follow the paths");
    }

    @Test
    void aFolderWithoutManifestIsNamed() {
        DataException e = assertThrows(DataException.class,
                () -> ShardSource.open(tmp.resolve("tree").toString(), hadoop()));

        assertTrue(e.getMessage().contains(tmp.resolve("tree") + ": has no manifest.json"), e.getMessage());
    }

    @Test
    void aMissingOrStrayShardIsNamed() throws IOException {
        Path copy = tmp.resolve("copy");
        copyTree(prepared, copy);
        Files.delete(copy.resolve("train/shard-00001.parquet"));
        Files.copy(copy.resolve("val/shard-00000.parquet"), copy.resolve("val/extra.parquet"));

        DataException e = assertThrows(DataException.class, () -> ShardSource.open(copy.toString(), hadoop()));

        assertTrue(e.getMessage().contains(copy + ": the train shards do not match manifest.json; missing:"
                + " [train/shard-00001.parquet]"), e.getMessage());
    }

    @Test
    void aShardWithOtherRowsThanTheManifestFailsTheRead() throws IOException {
        Path copy = tmp.resolve("swapped");
        copyTree(prepared, copy);
        // Same names, other contents: shard 0 of train (3 rows) replaced by the val shard (1 row).
        Files.copy(copy.resolve("val/shard-00000.parquet"), copy.resolve("train/shard-00000.parquet"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(copy.resolve("train/.shard-00000.parquet.crc"));
        ShardSource source = ShardSource.open(copy.toString(), hadoop());

        Exception e = assertThrows(Exception.class,
                () -> source.read(JavaSparkContext.fromSparkContext(spark.sparkContext()), Split.TRAIN).count());

        assertTrue(rootMessage(e).contains("train/shard-00000.parquet: holds 1 rows but the manifest lists 3"),
                rootMessage(e));
    }

    /**
     * Seeded damaged copies of a real shard (cut short, bytes flipped, random bytes): reading each ends in a
     * DataException naming the file, or reads the rows when the damage missed everything that matters; no
     * hang (each read under 20 s) and no other exception.
     */
    @Test
    void damagedShardsFailWithAnErrorNamingTheFile() throws Exception {
        byte[] valid = Files.readAllBytes(prepared.resolve("train/shard-00000.parquet"));
        java.util.Random random = new java.util.Random(20261123L);
        int inputs = 90;
        int refused = 0;
        for (int i = 0; i < inputs; i++) {
            byte[] damaged = switch (i % 3) {
                case 0 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
                case 1 -> {
                    byte[] copy = valid.clone();
                    for (int k = 1 + random.nextInt(8); k > 0; k--) {
                        copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                    yield copy;
                }
                default -> {
                    byte[] noise = new byte[random.nextInt(2 * valid.length)];
                    random.nextBytes(noise);
                    yield noise;
                }
            };
            Path file = Files.createDirectories(tmp.resolve("fuzz-" + i)).resolve("shard.parquet");
            Files.write(file, damaged);
            ShardSource.ShardRef ref = new ShardSource.ShardRef(file.toString(), 0, 3, 2);
            try {
                assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
                    for (var rows = ref.read(hadoop()); rows.hasNext(); ) {
                        rows.next();
                    }
                });
            } catch (DataException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                refused++;
            }
        }
        System.out.printf("fuzz shard.parquet: %d inputs tried, %d refused with a clear error%n", inputs, refused);
        assertTrue(refused > inputs / 2, refused + " of " + inputs);
    }

    private static Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
