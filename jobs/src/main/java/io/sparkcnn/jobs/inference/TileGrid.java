package io.sparkcnn.jobs.inference;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws small arrays (filters, feature maps) as a square-ish grid of tiles, the way the AlexNet paper shows its
 * first-layer filters: every tile stretched to 0..255 on its own (so a weak filter is as visible as a strong
 * one), enlarged by pixel repetition to at least {@value #MIN_TILE} pixels, with {@value #GAP}-pixel gaps.
 * A tile is {@code [channels][height][width]}; three channels are drawn in colour (RGB), one in grey.
 */
final class TileGrid {
    static final int MIN_TILE = 48;
    static final int GAP = 2;
    private static final int BACKGROUND = 0x202020;

    private TileGrid() {}

    /** How many times a tile of this size is enlarged. */
    static int scale(int height, int width) {
        return Math.max(1, (MIN_TILE + Math.max(height, width) - 1) / Math.max(height, width));
    }

    static int columns(int tiles) {
        return (int) Math.ceil(Math.sqrt(tiles));
    }

    /** The grid's size in pixels for {@code tiles} tiles of {@code height x width}: {width, height}. */
    static int[] size(int tiles, int height, int width) {
        int s = scale(height, width);
        int columns = columns(tiles);
        int rows = (tiles + columns - 1) / columns;
        return new int[] {columns * width * s + (columns + 1) * GAP, rows * height * s + (rows + 1) * GAP};
    }

    static BufferedImage draw(List<float[][][]> tiles) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("nothing to draw");
        }
        int h = tiles.get(0)[0].length;
        int w = tiles.get(0)[0][0].length;
        int s = scale(h, w);
        int[] size = size(tiles.size(), h, w);
        BufferedImage grid = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size[1]; y++) {
            for (int x = 0; x < size[0]; x++) {
                grid.setRGB(x, y, BACKGROUND);
            }
        }
        int columns = columns(tiles.size());
        for (int t = 0; t < tiles.size(); t++) {
            int left = GAP + (t % columns) * (w * s + GAP);
            int top = GAP + (t / columns) * (h * s + GAP);
            drawTile(grid, tiles.get(t), left, top, s);
        }
        return grid;
    }

    private static void drawTile(BufferedImage grid, float[][][] tile, int left, int top, int s) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float[][] plane : tile) {
            for (float[] row : plane) {
                for (float v : row) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        float range = max > min ? max - min : 1;
        boolean colour = tile.length == 3;
        for (int y = 0; y < tile[0].length; y++) {
            for (int x = 0; x < tile[0][0].length; x++) {
                int r = level(tile[0][y][x], min, range);
                int g = colour ? level(tile[1][y][x], min, range) : r;
                int b = colour ? level(tile[2][y][x], min, range) : r;
                int rgb = (r << 16) | (g << 8) | b;
                for (int dy = 0; dy < s; dy++) {
                    for (int dx = 0; dx < s; dx++) {
                        grid.setRGB(left + x * s + dx, top + y * s + dy, rgb);
                    }
                }
            }
        }
    }

    private static int level(float v, float min, float range) {
        return Math.max(0, Math.min(255, Math.round((v - min) / range * 255)));
    }

    static void write(BufferedImage image, Path file) {
        try {
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
