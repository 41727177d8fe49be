package io.sparkcnn.jobs.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcnn.jobs.architectures.Finetune;
import io.sparkcnn.workers.train.Networks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained network with its {@link ModelInfo}: DL4J's own {@code model.zip} (configuration, parameters, updater
 * state) plus one plain JSON entry, {@value #ENTRY}. Nothing is Java-serialised, so reading a model from an
 * untrusted place never runs {@code ObjectInputStream}.
 */
public record SavedModel(NeuralNetwork network, ModelInfo info) {
    public static final String ENTRY = "spark-cnn.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes {@code net} (with its updater state, so that it can be fine-tuned) and {@code info} to {@code file}. */
    public static void write(NeuralNetwork net, ModelInfo info, Path file) {
        try {
            ModelSerializer.writeModel((Model) net, file.toFile(), true);
            // The JDK's zip file system adds the entry in place, next to what DL4J wrote.
            try (FileSystem zip = FileSystems.newFileSystem(file)) {
                Files.write(zip.getPath(ENTRY), JSON.writeValueAsBytes(info));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a model written by {@link #write}: its description first (a clear error for a file that is not such
     * a model), then the network, which must take the described input and give one output per class.
     */
    public static SavedModel read(Path file) {
        ModelInfo info = readInfo(file);
        NeuralNetwork net;
        try {
            net = Finetune.load(file.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model " + e.getMessage().replaceFirst("^model\\.finetune-from: ", ""),
                    e);
        }
        checkFits(file, net, info);
        return new SavedModel(net, info);
    }

    /** Only the description, without loading the network. */
    public static ModelInfo readInfo(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model " + file + ": no such file; give the model.zip of a training"
                    + " run, e.g. runs/lenet5-fashion-.../model.zip.");
        }
        byte[] json;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(ENTRY);
            if (entry == null) {
                throw new IllegalArgumentException("--model " + file + ": has no " + ENTRY + " entry (class names,"
                        + " input size, preprocessing); it was not written by a spark-cnn training run of this version."
                        + " Train it again with scripts/train.");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                json = in.readAllBytes();
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException("--model " + file + ": is not a zip file (" + e.getMessage() + ");"
                    + " give the model.zip of a training run.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("--model " + file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        ModelInfo info;
        try {
            info = JSON.readValue(json, ModelInfo.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--model " + file + ": its " + ENTRY + " is damaged ("
                    + e.getOriginalMessage() + "): " + new String(json, 0, Math.min(json.length, 200),
                    StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            throw new UncheckedIOException("--model " + file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (info.formatVersion() > ModelInfo.FORMAT_VERSION) {
            throw new IllegalArgumentException("--model " + file + ": its " + ENTRY + " has format version "
                    + info.formatVersion() + ", newer than this spark-cnn reads (" + ModelInfo.FORMAT_VERSION
                    + "); use the spark-cnn that trained it.");
        }
        return info;
    }

    /** One forward pass on a blank input: the network must take the described volume and know every class. */
    private static void checkFits(Path file, NeuralNetwork net, ModelInfo info) {
        INDArray out;
        try {
            out = Networks.output(net, Nd4j.zeros(1, info.channels(), info.height(), info.width()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--model " + file + ": the network does not take the " + info.shape()
                    + " input its " + ENTRY + " describes (" + e.getMessage() + ").", e);
        }
        if (out.size(1) != info.classNames().size()) {
            throw new IllegalArgumentException("--model " + file + ": the network has " + out.size(1) + " outputs but"
                    + " its " + ENTRY + " names " + info.classNames().size() + " classes.");
        }
    }
}
