package io.sparkcnn.jobs.inference;

import io.sparkcnn.jobs.source.SampleImages;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.train.Networks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a trained network learned, as PNGs in one folder: the first convolutional layer's filters as a grid,
 * and, for one input image, that image as the network sees it and the feature maps of every convolutional
 * layer (one grid per layer, at most {@value #MAX_MAPS} maps each).
 */
public final class Visualizer {
    static final int MAX_MAPS = 64;

    private final SavedModel model;
    private final Path out;
    private final ConsoleReporter reporter;

    public Visualizer(SavedModel model, Path out, ConsoleReporter reporter) {
        this.model = model;
        this.out = out;
        this.reporter = reporter;
    }

    /** Writes the PNGs and returns their paths: the filters, then (with {@code shown}) the input and its maps. */
    public List<Path> write(SampleImages.Sample shown) {
        createFolder();
        List<Path> written = new ArrayList<>();
        List<ConvLayers.Conv> convs = ConvLayers.of(model.network());
        if (convs.isEmpty()) {
            throw new IllegalArgumentException("the network has no convolutional layer to draw.");
        }
        ConvLayers.Conv first = convs.get(0);
        INDArray w = first.filters();
        if (w == null) {
            reporter.say("the first convolutional layer, %s, is not a plain 2-D convolution; its filters are not drawn",
                    first.name());
        } else {
            Path file = out.resolve("filters-" + fileName(first.name()) + ".png");
            TileGrid.write(TileGrid.draw(filterTiles(w)), file);
            reporter.say("wrote %s: %d filters of %s (%dx%d, %d channel(s))", file, w.size(0), first.name(), w.size(3),
                    w.size(2), w.size(1));
            written.add(file);
        }
        if (shown != null) {
            written.addAll(featureMaps(shown));
        }
        return written;
    }

    private List<Path> featureMaps(SampleImages.Sample shown) {
        ModelInfo info = model.info();
        List<Path> written = new ArrayList<>();
        Image view = info.view(shown.image());
        Path inputFile = out.resolve("input.png");
        TileGrid.write(TileGrid.draw(java.util.Collections.singletonList(planes(view))), inputFile);
        written.add(inputFile);
        Image input = info.input(shown.image(), shown.caption());
        float[] chw = new float[info.shape().pixels()];
        input.writeChw(chw, 0);
        INDArray x = Nd4j.create(chw, new long[] {1, info.channels(), info.height(), info.width()}, 'c');
        float[] p = Networks.output(model.network(), x).toFloatVector();
        Prediction top = Prediction.top(shown.caption(), p, info.classNames(), 1);
        reporter.say("%s: the network sees it as %s (%.3f)", shown.caption(), top.classes().get(0), top.probabilities()[0]);
        int n = 0;
        for (Map.Entry<ConvLayers.Conv, INDArray> layer : ConvLayers.activations(model.network(), x).entrySet()) {
            n++;
            INDArray a = layer.getValue();
            if (a == null) {
                continue;
            }
            int maps = (int) Math.min(MAX_MAPS, a.size(1));
            List<float[][][]> tiles = new ArrayList<>(maps);
            for (int c = 0; c < maps; c++) {
                tiles.add(new float[][][] {a.slice(0).slice(c).toFloatMatrix()});
            }
            Path file = out.resolve(String.format("features-%02d-%s.png", n, fileName(layer.getKey().name())));
            TileGrid.write(TileGrid.draw(tiles), file);
            reporter.say("wrote %s: %d of %d feature maps of %s (%dx%d)", file, maps, a.size(1), layer.getKey().name(),
                    a.size(3), a.size(2));
            written.add(file);
        }
        return written;
    }

    /** One tile per filter; RGB filters in colour, others as the mean over their input channels. */
    static List<float[][][]> filterTiles(INDArray w) {
        List<float[][][]> tiles = new ArrayList<>();
        for (int o = 0; o < w.size(0); o++) {
            INDArray filter = w.slice(o);
            if (w.size(1) == 3 || w.size(1) == 1) {
                float[][][] tile = new float[(int) w.size(1)][][];
                for (int c = 0; c < tile.length; c++) {
                    tile[c] = filter.slice(c).toFloatMatrix();
                }
                tiles.add(tile);
            } else {
                tiles.add(new float[][][] {filter.mean(0).toFloatMatrix()});
            }
        }
        return tiles;
    }

    private static float[][][] planes(Image image) {
        float[][][] planes = new float[image.channels()][image.height()][image.width()];
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < image.height(); y++) {
                for (int x = 0; x < image.width(); x++) {
                    planes[c][y][x] = image.get(y, x, c);
                }
            }
        }
        return planes;
    }

    private static String fileName(String layer) {
        return layer.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void createFolder() {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("--out " + out + ": cannot be created (" + e.getMessage() + ")", e);
        }
    }
}
