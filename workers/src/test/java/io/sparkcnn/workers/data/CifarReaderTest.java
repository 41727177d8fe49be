package io.sparkcnn.workers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.image.Image;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    private static final Configuration HADOOP = new Configuration();
    private static final int PIXELS = 3072;

    @TempDir
    Path dir;

    @Test
    void cifar10ReadsEveryBatchInOrderWithStableIdsLabelsAndPixels() throws IOException {
        List<byte[]> written = new ArrayList<>();
        for (int batch = 1; batch <= 5; batch++) {
            written.addAll(writeBatch(dir.resolve("data_batch_" + batch + ".bin"), 1, 3, batch * 10));
        }
        writeBatch(dir.resolve("test_batch.bin"), 1, 2, 99);
        Files.writeString(dir.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\n"
                + "horse\nship\ntruck\n\n");

        CifarSet train = CifarReader.readTrain(dir.toString(), HADOOP, CifarLabels.CIFAR_10);

        assertEquals(15, train.images().size());
        assertEquals(5, train.files().size());
        assertTrue(train.files().get(4).endsWith("data_batch_5.bin"));
        assertEquals("truck", train.classNames().get(9));
        for (int i = 0; i < 15; i++) {
            LabeledImage image = train.images().get(i);
            assertEquals(i, image.id());
            assertEquals(written.get(i)[0], image.label());
            assertArrayEquals(Arrays.copyOfRange(written.get(i), 1, 1 + PIXELS), image.pixels());
        }
        CifarSet test = CifarReader.readTest(dir.toString(), HADOOP, CifarLabels.CIFAR_10);
        assertEquals(List.of(0L, 1L), test.images().stream().map(LabeledImage::id).toList());
    }

    @Test
    void pixelsArePlanesOfRedGreenBlueInRowMajorOrder() throws IOException {
        byte[] record = new byte[1 + PIXELS];
        record[0] = 3;
        record[1 + 32 + 5] = (byte) 200;          // red at row 1, column 5
        record[1 + 1024 + 32 + 5] = (byte) 100;   // green there
        record[1 + 2048 + 32 + 5] = (byte) 50;    // blue there
        Path file = Files.write(dir.resolve("one.bin"), record);

        LabeledImage read = CifarReader.readBatch(file.toString(), HADOOP, CifarLabels.CIFAR_10, 7).get(0);
        Image image = Image.fromChwBytes(read.pixels(), 32, 32, 3);

        assertEquals(7, read.id());
        assertEquals(200, image.get(1, 5, 0));
        assertEquals(100, image.get(1, 5, 1));
        assertEquals(50, image.get(1, 5, 2));
        assertEquals(0, image.get(5, 1, 0));
    }

    @Test
    void cifar100GivesFineOrCoarseLabelsAsChosen() throws IOException {
        List<byte[]> written = writeBatch(dir.resolve("train.bin"), 2, 4, 1);
        writeBatch(dir.resolve("test.bin"), 2, 1, 2);

        CifarSet fine = CifarReader.readTrain(dir.toString(), HADOOP, CifarLabels.CIFAR_100_FINE);
        CifarSet coarse = CifarReader.readTrain(dir.toString(), HADOOP, CifarLabels.CIFAR_100_COARSE);

        for (int i = 0; i < 4; i++) {
            assertEquals(written.get(i)[0], coarse.images().get(i).label());
            assertEquals(written.get(i)[1], fine.images().get(i).label());
            assertArrayEquals(Arrays.copyOfRange(written.get(i), 2, 2 + PIXELS), fine.images().get(i).pixels());
        }
        assertEquals(100, fine.classNames().size());
        assertEquals("19", coarse.classNames().get(19)); // no names file: the label numbers
    }

    @Test
    void looksInsideTheFolderTheTarballUnpacksTo() throws IOException {
        Path inner = Files.createDirectories(dir.resolve("cifar-100-binary"));
        writeBatch(inner.resolve("test.bin"), 2, 2, 3);
        Files.writeString(inner.resolve("coarse_label_names.txt"), String.join("\n", numbered("super", 20)));

        CifarSet test = CifarReader.readTest("file://" + dir, HADOOP, CifarLabels.CIFAR_100_COARSE);

        assertEquals(2, test.images().size());
        assertEquals("super7", test.classNames().get(7));
    }

    @Test
    void aSizeThatIsNotWholeRecordsNamesTheFileAndTheRecordLength() throws IOException {
        Path file = Files.write(dir.resolve("data_batch_1.bin"), new byte[3073 * 2 + 100]);

        DataException error = assertThrows(DataException.class,
                () -> CifarReader.readBatch(file.toString(), HADOOP, CifarLabels.CIFAR_10, 0));

        assertTrue(error.getMessage().startsWith(file + ": 6246 bytes"), error.getMessage());
        assertTrue(error.getMessage().contains("3073"), error.getMessage());
    }

    @Test
    void aLabelOutOfRangeNamesTheFileAndRecord() throws IOException {
        List<byte[]> records = List.of(record(1, 2, 0), record(1, 10, 1));
        Path file = Files.write(dir.resolve("data_batch_1.bin"), concat(records));

        DataException error = assertThrows(DataException.class,
                () -> CifarReader.readBatch(file.toString(), HADOOP, CifarLabels.CIFAR_10, 0));

        assertTrue(error.getMessage().startsWith(file + ": record 1 has label 10"), error.getMessage());
    }

    @Test
    void aMissingBatchIsNamedWithTheFilesExpected() throws IOException {
        for (int batch = 1; batch <= 4; batch++) {
            writeBatch(dir.resolve("data_batch_" + batch + ".bin"), 1, 1, batch);
        }

        DataException error = assertThrows(DataException.class,
                () -> CifarReader.readTrain(dir.toString(), HADOOP, CifarLabels.CIFAR_10));

        assertTrue(error.getMessage().contains("has no data_batch_5.bin"), error.getMessage());
        assertTrue(error.getMessage().contains("data_batch_1.bin, data_batch_2.bin"), error.getMessage());
    }

    @Test
    void anEmptyFolderSaysWhichFilesItShouldHold() {
        DataException error = assertThrows(DataException.class,
                () -> CifarReader.readTest(dir.toString(), HADOOP, CifarLabels.CIFAR_100_FINE));

        assertTrue(error.getMessage().startsWith(dir + ": has no test.bin"), error.getMessage());
    }

    @Test
    void aNamesFileOfTheWrongLengthIsRefused() throws IOException {
        writeBatch(dir.resolve("test_batch.bin"), 1, 1, 1);
        Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\n");

        DataException error = assertThrows(DataException.class,
                () -> CifarReader.readTest(dir.toString(), HADOOP, CifarLabels.CIFAR_10));

        assertTrue(error.getMessage().contains("batches.meta.txt: names 2 classes"), error.getMessage());
    }

    private static List<byte[]> writeBatch(Path file, int labelBytes, int count, int seed) throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(record(labelBytes, (seed + i) % 10, seed * 31 + i));
        }
        Files.write(file, concat(records));
        return records;
    }

    /** Label bytes (coarse = fine % 20 for CIFAR-100) then pixels that differ per record. */
    private static byte[] record(int labelBytes, int label, int salt) {
        byte[] record = new byte[labelBytes + PIXELS];
        if (labelBytes == 2) {
            record[0] = (byte) (label % 20);
            record[1] = (byte) (label * 7 % 100);
        } else {
            record[0] = (byte) label;
        }
        for (int i = 0; i < PIXELS; i++) {
            record[labelBytes + i] = (byte) (i * 13 + salt * 101);
        }
        return record;
    }

    private static byte[] concat(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }
}
