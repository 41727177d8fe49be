package io.sparkcnn.jobs.inference;

import io.sparkcnn.jobs.source.SampleImages;
import io.sparkcnn.jobs.train.TrainJob;
import io.sparkcnn.jobs.train.TrainJobSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.BadDataPolicy;
import io.sparkcnn.jobs.source.IdxDataset;
import io.sparkcnn.jobs.prepare.PrepareJob;
import io.sparkcnn.jobs.prepare.PrepareOptions;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.folder.SplitFractions;
import io.sparkcnn.workers.testing.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real LeNet-5, trained for one short epoch on Fashion-MNIST in local mode, used as a user would: predict on
 * a folder of PNGs written from the test images (with a corrupt and an empty file among them), evaluate on the
 * training config, and the filter and feature-map pictures.
 */
class UsingModelsSpec {
    private static final List<String> SMALL = List.of("data.train-limit=3000", "data.test-limit=300",
            "training.epochs=1", "training.evaluate-every-epoch=false");
    private static final List<String> FOLDERS = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal",
            "shirt", "sneaker", "bag", "ankle-boot");
    private static final ConsoleReporter SILENT = new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream()));

    @TempDir
    static Path tmp;
    static Path run;
    static double trainedAccuracy;

    @BeforeAll
    static void trainOnce() throws Exception {
        FashionMnist.require();
        run = tmp.resolve("run");
        Map<String, Object> metrics = new TrainJob(JobConfig.load(TrainJobSpec.CONF, SMALL), run, null, SILENT).run();
        trainedAccuracy = (Double) metrics.get("test_accuracy");
    }

    @Test
    void theModelCarriesItsClassesInputAndPreprocessingAsJsonAndNothingJavaSerialised() throws Exception {
        try (ZipFile zip = new ZipFile(run.resolve("model.zip").toFile())) {
            assertTrue(zip.getEntry(SavedModel.ENTRY) != null, "spark-cnn.json is in model.zip");
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] head = in.readNBytes(2);
                    assertFalse(head.length == 2 && (head[0] & 0xff) == 0xac && (head[1] & 0xff) == 0xed,
                            entry.getName() + " is a Java-serialised object");
                }
                assertFalse(entry.getName().startsWith("objects/"), "no ModelSerializer object entry: " + entry);
            }
        }
        ModelInfo info = SavedModel.readInfo(run.resolve("model.zip"));
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                "Bag", "Ankle boot"), info.classNames());
        assertEquals(List.of(1, 28, 28), List.of(info.channels(), info.height(), info.width()));
        assertEquals(Preprocess.Normalize.SCALE, info.preprocess().normalize(), "IDX training scales bytes by 1/255");
        assertEquals("lenet5", info.architecture());
        assertEquals(42, info.seed());
    }

    @Test
    void aModelWithoutOrWithADamagedDescriptionIsRefusedNamingTheFile() throws Exception {
        Path damaged = tmp.resolve("damaged.zip");
        Files.copy(run.resolve("model.zip"), damaged);
        try (FileSystem zip = FileSystems.newFileSystem(damaged)) {
            Files.writeString(zip.getPath(SavedModel.ENTRY), "{\"class_names\": [\"a\", ");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SavedModel.read(damaged));
        assertTrue(e.getMessage().contains(damaged.toString()) && e.getMessage().contains("damaged"), e.getMessage());

        Path bare = tmp.resolve("bare.zip");
        Files.copy(run.resolve("model.zip"), bare);
        try (FileSystem zip = FileSystems.newFileSystem(bare)) {
            Files.delete(zip.getPath(SavedModel.ENTRY));
        }
        e = assertThrows(IllegalArgumentException.class, () -> SavedModel.read(bare));
        assertTrue(e.getMessage().contains(bare.toString()) && e.getMessage().contains(SavedModel.ENTRY),
                e.getMessage());

        Path notZip = tmp.resolve("notes.zip");
        Files.writeString(notZip, "not a model");
        e = assertThrows(IllegalArgumentException.class, () -> SavedModel.read(notZip));
        assertTrue(e.getMessage().contains(notZip.toString()), e.getMessage());
    }

    @Test
    void predictClassifiesAFolderOfPngsAsTrainingDidAndListsTheFilesItCannotRead() throws Exception {
        Path images = tmp.resolve("images");
        List<LabeledImage> test = writePngs(images);
        Files.write(images.resolve("bag/broken.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0x12, 0x34});
        Files.createDirectories(images.resolve("nested/deeper"));
        Files.createFile(images.resolve("nested/deeper/empty.png"));
        Files.writeString(images.resolve(".DS_Store"), "finder litter");
        Path csv = tmp.resolve("out/predictions.csv");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        PredictJob.Result result = new PredictJob(run.resolve("model.zip"), images.toString(), csv, 3, null,
                new ConsoleReporter(new PrintStream(console, true))).run();

        List<String> lines = Files.readAllLines(csv);
        assertEquals("path,class_1,probability_1,class_2,probability_2,class_3,probability_3,error", lines.get(0));
        assertEquals(test.size() + 2, lines.size() - 1, "one row per file, bad ones included, hidden ones not");
        assertEquals(test.size(), result.classified());
        assertEquals(2, result.failed().size());
        int agree = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells[0].endsWith("broken.jpg") || cells[0].endsWith("empty.png")) {
                assertEquals("", cells[1], line);
                assertFalse(cells[7].isEmpty(), "the reason is given: " + line);
                assertTrue(console.toString().contains(cells[0]), "and the file named on the console");
                continue;
            }
            assertTrue(Double.parseDouble(cells[2]) >= Double.parseDouble(cells[4]), "most probable first: " + line);
            String folder = Path.of(cells[0].replaceFirst("^file:", "")).getParent().getFileName().toString();
            String label = SavedModel.readInfo(run.resolve("model.zip")).classNames().get(FOLDERS.indexOf(folder));
            agree += label.equals(cells[1]) ? 1 : 0;
        }
        double accuracy = (double) agree / test.size();
        assertTrue(accuracy > 0.6, "top-1 agrees with the label for most images: " + accuracy);
        // The PNGs hold the test images' exact bytes: the model sees the same tensors as in training's test pass.
        assertEquals(trainedAccuracy, accuracy, 1.5 / test.size(), "training's test accuracy " + trainedAccuracy);
    }

    @Test
    void predictReadsTheShardsPrepareWroteAsItReadsTheirFiles() throws Exception {
        Path tree = tmp.resolve("tree");
        List<LabeledImage> test = writePngs(tree);
        Path shards = tmp.resolve("shards");
        new PrepareJob(new PrepareOptions(tree.toString(), shards, 2, 0, new SplitFractions(0.1, 0, 42),
                BadDataPolicy.fail(), 1, null), SILENT).run();
        Path csv = tmp.resolve("shards.csv");

        PredictJob.Result result = new PredictJob(run.resolve("model.zip"), shards.toString(), csv, 1, null, SILENT)
                .run();

        assertEquals(test.size(), result.classified(), "the train and val shards, every image once");
        assertTrue(result.failed().isEmpty());
        List<String> names = SavedModel.readInfo(run.resolve("model.zip")).classNames();
        long agree = Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",", -1))
                .filter(c -> names.get(FOLDERS.indexOf(Path.of(c[0].replaceFirst("^file:", "")).getParent()
                        .getFileName().toString())).equals(c[1])).count();
        assertEquals(trainedAccuracy, (double) agree / test.size(), 1.5 / test.size());
    }

    @Test
    void evaluateGivesTheTrainingRunsTestAccuracyOnTheSameData() throws Exception {
        Path out = tmp.resolve("evaluation");

        new EvaluateJob(JobConfig.load(TrainJobSpec.CONF, SMALL), run.resolve("model.zip"), out, null, SILENT).run();

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(trainedAccuracy, metrics.get("test_accuracy").asDouble(), 1e-6);
        JsonNode trained = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        assertEquals(trained.get("confusion_matrix"), metrics.get("confusion_matrix"));
        assertEquals(trained.get("per_class"), metrics.get("per_class"));
        assertEquals(trained.get("test_top5_accuracy"), metrics.get("test_top5_accuracy"));
        assertEquals(300, metrics.get("test_images").asInt());
        assertEquals("evaluate", metrics.get("kind").asText());
        assertTrue(Files.size(out.resolve("report.html")) > 0, "the run report is drawn too");
        assertHasContent(ImageIO.read(out.resolve("confusion.png").toFile()), "confusion.png");
    }

    @Test
    void visualizeDrawsTheFirstLayersFiltersAndEveryConvolutionsFeatureMaps() throws Exception {
        Path out = tmp.resolve("visualize");
        SavedModel model = SavedModel.read(run.resolve("model.zip"));
        SampleImages.Sample shown = SampleImages.test(JobConfig.load(TrainJobSpec.CONF, SMALL), 0, "visualize --index");

        List<Path> written = new Visualizer(model, out, SILENT).write(shown);

        assertEquals(List.of("filters-conv1.png", "input.png", "features-01-conv1.png", "features-02-conv2.png"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        // conv1: 20 filters of 5x5, enlarged 10x to 50 px, 5 columns x 4 rows with 2 px gaps: 262 x 210.
        assertPicture(out.resolve("filters-conv1.png"), 262, 210);
        // conv1's maps: 20 of 24x24, enlarged 2x to 48 px, 5 x 4: 5*48+6*2 = 252 x 4*48+5*2 = 202.
        assertPicture(out.resolve("features-01-conv1.png"), 252, 202);
        // conv2's maps: 50 of 8x8, enlarged 6x to 48 px, 8 columns x 7 rows: 402 x 352.
        assertPicture(out.resolve("features-02-conv2.png"), 402, 352);
        // The input: one 28x28 tile enlarged 2x: 60 x 60.
        assertPicture(out.resolve("input.png"), 60, 60);
    }

    private static void assertPicture(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth(), png + " width");
        assertEquals(height, image.getHeight(), png + " height");
        assertHasContent(image, png.toString());
    }

    private static void assertHasContent(BufferedImage image, String png) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, png + " has content, not a flat picture: " + colours.size() + " colours");
    }

    /** The job's test images as grey PNGs in class folders. */
    private static List<LabeledImage> writePngs(Path root) throws IOException {
        IdxDataset test = IdxDataset.read("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
                "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz", 10, 300, new Configuration());
        for (LabeledImage r : test.records()) {
            Path folder = root.resolve(FOLDERS.get(r.label()));
            Files.createDirectories(folder);
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, 28, 28, r.pixels());
            ImageIO.write(image, "png", folder.resolve(String.format("%05d.png", r.id())).toFile());
        }
        return test.records();
    }
}
