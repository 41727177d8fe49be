package io.sparkcnn.jobs.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.source.BadDataPolicy;
import io.sparkcnn.jobs.source.Manifest;
import io.sparkcnn.jobs.source.Rejected;
import io.sparkcnn.jobs.source.ShardSource;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.Split;
import io.sparkcnn.workers.data.folder.SplitFractions;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.image.ImageDecoder;
import io.sparkcnn.workers.testing.ImageTrees;
import io.sparkcnn.workers.testing.ImageTrees.Drawn;
import io.sparkcnn.workers.testing.ImageTrees.Plant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prepare} end to end in Spark local mode on generated trees with planted problems. */
class PrepareJobSpec {
    /** Everything a tree can get wrong that prepare must notice, plus a CMYK JPEG that must survive. */
    static final Set<Plant> PLANTS = EnumSet.of(Plant.CORRUPT_JPEG, Plant.TRUNCATED_JPEG, Plant.TEXT_AS_JPEG,
            Plant.ZERO_BYTE_FILE, Plant.EMPTY_CLASS, Plant.FILE_IN_ROOT, Plant.CMYK_JPEG);

    static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().config(PrepareJob.sparkConf("local[2]").set("spark.ui.enabled", "false"))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void keepsEveryGoodImageOnceRejectsExactlyThePlantedProblemsAndReadsBackTheSameFiles() throws IOException {
        ImageTrees.Tree tree = ImageTrees.write(tmp.resolve("planted"), new ImageTrees.Spec(3, 8, 32, false, PLANTS));
        Path out = tmp.resolve("planted-shards");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Manifest manifest = new PrepareJob(options(tree.root(), out, 0, BadDataPolicy.skip(0.5)),
                new ConsoleReporter(new PrintStream(console, true))).run(spark);

        Set<String> planted = tree.planted().stream().filter(p -> p.plant() != Plant.CMYK_JPEG)
                .map(p -> p.path().toString()).collect(Collectors.toSet());
        assertEquals(planted, manifest.rejected().stream().map(r -> local(r.path())).collect(Collectors.toSet()));
        assertEquals(Map.of("corrupt.jpg", "corrupt", "truncated.jpg", "truncated", "notes.jpg", "not an image",
                "empty.jpg", "empty file", "zz_empty", "empty class", "README.txt", "file in root"),
                manifest.rejected().stream().collect(Collectors.toMap(r -> Path.of(local(r.path())).getFileName()
                        .toString(), Rejected::reason)));
        assertEquals(List.of("apple", "banana", "cherry", "zz_empty"), manifest.classes());

        Manifest.SplitInfo train = manifest.split(Split.TRAIN);
        Manifest.SplitInfo val = manifest.split(Split.VAL);
        assertEquals(tree.images().size(), train.count() + val.count(), "every good file in exactly one split");
        assertEquals(0, manifest.split(Split.TEST).count());
        assertTrue(val.count() > 0 && train.count() > val.count(), "a quarter of every class (bad files included) is"
                + " held out: " + val.count());
        for (Manifest.SplitInfo split : List.of(train, val)) {
            assertEquals(split.count(), split.perClass().values().stream().mapToLong(Long::longValue).sum());
            assertEquals(split.count(), split.shards().stream().mapToLong(Manifest.Shard::rows).sum());
            assertEquals(2, split.shards().size());
            assertEquals(0L, split.perClass().get("zz_empty"));
        }
        assertEquals(manifest.toJson(), Manifest.read(out.toString(), spark.sparkContext().hadoopConfiguration())
                .toJson(), "the manifest on disk is the one returned");

        ShardSource shards = ShardSource.open(out.toString(), spark.sparkContext().hadoopConfiguration());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<LabeledImage> trainBack = shards.read(sc, Split.TRAIN).collect();
        List<LabeledImage> valBack = shards.read(sc, Split.VAL).collect();
        assertIdsCountUp(trainBack);
        assertIdsCountUp(valBack);
        Map<String, Drawn> drawn = tree.images().stream().collect(Collectors.toMap(d -> d.path().toString(),
                Function.identity()));
        List<LabeledImage> all = new ArrayList<>(trainBack);
        all.addAll(valBack);
        assertEquals(drawn.keySet(), all.stream().map(r -> local(r.source())).collect(Collectors.toSet()));
        for (LabeledImage record : all) {
            Drawn original = drawn.get(local(record.source()));
            assertEquals(original.label(), record.label(), record.source());
            assertArrayEquals(Files.readAllBytes(original.path()), record.pixels(), "without a resize the bytes"
                    + " are the file's: " + record.source());
        }
        Drawn cmyk = drawn.get(tree.plantedPath(Plant.CMYK_JPEG).toString());
        Image cmykBack = ImageDecoder.decode(all.stream().filter(r -> local(r.source()).equals(cmyk.path().toString()))
                .findFirst().orElseThrow().pixels(), "cmyk", 3);
        for (int c = 0; c < 3; c++) {
            assertEquals(ImageTrees.CMYK_RGB[c], cmykBack.get(5, 5, c), 6, "the CMYK JPEG decodes, channel " + c);
        }

        Stats direct = Stats.of(trainBack.stream().map(r -> decodeFile(local(r.source()))).toList());
        for (int c = 0; c < 3; c++) {
            assertEquals(direct.mean()[c], manifest.mean().get(c), 1e-6, "mean of channel " + c);
            assertEquals(direct.std()[c], manifest.std().get(c), 1e-6, "std of channel " + c);
        }
        String printed = console.toString();
        assertTrue(printed.contains("tasks decoding the train images"), "a progress bar per stage:\n" + printed);
        assertTrue(printed.contains("corrupt.jpg: corrupt"), "the rejects are listed:\n" + printed);
    }

    @Test
    void resizingStoresJpegsWithTheShorterSideAndMeasuresTheResizedPixels() {
        ImageTrees.Tree tree = ImageTrees.write(tmp.resolve("clean"),
                new ImageTrees.Spec(2, 6, 32, true, EnumSet.noneOf(Plant.class)));
        Path out = tmp.resolve("clean-shards");

        Manifest manifest = new PrepareJob(options(tree.root(), out, 16, BadDataPolicy.fail()),
                new ConsoleReporter(new PrintStream(new ByteArrayOutputStream()))).run(spark);

        assertEquals(12, manifest.split(Split.TRAIN).count(), "a tree with train/ keeps its own split");
        assertEquals(12, manifest.split(Split.VAL).count());
        assertEquals(List.of(), manifest.rejected());
        ShardSource shards = ShardSource.open(out.toString(), spark.sparkContext().hadoopConfiguration());
        List<LabeledImage> train = shards.read(JavaSparkContext.fromSparkContext(spark.sparkContext()), Split.TRAIN)
                .collect();
        Map<String, Drawn> drawn = tree.images().stream().collect(Collectors.toMap(d -> d.path().toString(),
                Function.identity()));
        Preprocess half = Preprocess.evaluation(16, 0, Preprocess.Normalize.NONE);
        List<Image> resized = new ArrayList<>();
        for (LabeledImage record : train) {
            assertEquals((byte) 0xff, record.pixels()[0], "stored as JPEG: " + record.source());
            assertEquals((byte) 0xd8, record.pixels()[1], "stored as JPEG: " + record.source());
            Image back = ImageDecoder.decode(record.pixels(), record.source(), 3);
            Image expected = half.geometry(drawn.get(local(record.source())).expected());
            assertEquals("16x16x3", back.toString());
            assertTrue(meanAbsoluteError(expected, back) < 8, record.source() + " mean error "
                    + meanAbsoluteError(expected, back));
            resized.add(half.geometry(decodeFile(local(record.source()))));
        }
        Stats direct = Stats.of(resized);
        for (int c = 0; c < 3; c++) {
            assertEquals(direct.mean()[c], manifest.mean().get(c), 1e-6, "mean of channel " + c);
            assertEquals(direct.std()[c], manifest.std().get(c), 1e-6, "std of channel " + c);
        }
    }

    @Test
    void failPolicyStopsAtTheFirstBadFileAndWritesNothing() {
        ImageTrees.Tree tree = ImageTrees.write(tmp.resolve("strict"), ImageTrees.Spec.of(2, 4, Plant.CORRUPT_JPEG));
        Path out = tmp.resolve("strict-shards");

        DataException e = assertThrows(DataException.class, () -> new PrepareJob(options(tree.root(), out, 0,
                BadDataPolicy.fail()), new ConsoleReporter(new PrintStream(new ByteArrayOutputStream()))).run(spark));

        assertTrue(e.getMessage().contains(tree.plantedPath(Plant.CORRUPT_JPEG).toString()), e.getMessage());
        assertFalse(Files.exists(out), "no output folder");
        assertFalse(Files.exists(tmp.resolve(".strict-shards.incomplete")), "nor its staging folder");
    }

    @Test
    void tooManyBadFilesStopTheRunNamingTheirCount() {
        ImageTrees.Tree tree = ImageTrees.write(tmp.resolve("dirty"), ImageTrees.Spec.of(2, 4, Plant.CORRUPT_JPEG,
                Plant.TRUNCATED_JPEG));
        Path out = tmp.resolve("dirty-shards");

        DataException e = assertThrows(DataException.class, () -> new PrepareJob(new PrepareOptions(
                tree.root().toString(), out, 2, 0, new SplitFractions(0, 0, 42), BadDataPolicy.skip(0.1), 3, null),
                new ConsoleReporter(new PrintStream(new ByteArrayOutputStream()))).run(spark));

        assertTrue(e.getMessage().contains("train: 2 of 10 image files (20.0%) are bad"), e.getMessage());
        assertFalse(Files.exists(out), "no output folder");
    }

    private static PrepareOptions options(Path root, Path out, int shorterSide, BadDataPolicy policy) {
        return new PrepareOptions(root.toString(), out, 2, shorterSide, new SplitFractions(0.25, 0, 42), policy, 3,
                null);
    }

    static void assertIdsCountUp(List<LabeledImage> records) {
        assertArrayEquals(LongStream.range(0, records.size()).toArray(),
                records.stream().mapToLong(LabeledImage::id).toArray(), "ids 0..n-1 in order");
    }

    /** The local path of a Hadoop path or URI ({@code file:/x} is {@code /x}). */
    static String local(String path) {
        return new org.apache.hadoop.fs.Path(path).toUri().getPath();
    }

    static Image decodeFile(String path) {
        try {
            return ImageDecoder.decode(Files.readAllBytes(Path.of(path)), path, 3);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double meanAbsoluteError(Image a, Image b) {
        double sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs(a.pixels()[i] - b.pixels()[i]);
        }
        return sum / a.pixels().length;
    }

    /** Mean and population standard deviation per channel, the plain two-pass way. */
    record Stats(double[] mean, double[] std) {
        static Stats of(List<Image> images) {
            double[] sum = new double[3];
            long n = 0;
            for (Image image : images) {
                for (int i = 0; i < image.pixels().length; i++) {
                    sum[i % 3] += image.pixels()[i];
                }
                n += (long) image.height() * image.width();
            }
            double[] mean = new double[3];
            for (int c = 0; c < 3; c++) {
                mean[c] = sum[c] / n;
            }
            double[] squares = new double[3];
            for (Image image : images) {
                for (int i = 0; i < image.pixels().length; i++) {
                    double d = image.pixels()[i] - mean[i % 3];
                    squares[i % 3] += d * d;
                }
            }
            double[] std = new double[3];
            for (int c = 0; c < 3; c++) {
                std[c] = Math.sqrt(squares[c] / n);
            }
            return new Stats(mean, std);
        }
    }
}
