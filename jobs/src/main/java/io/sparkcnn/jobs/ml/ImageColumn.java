package io.sparkcnn.jobs.ml;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.image.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * An input column of images as the stages read it: Spark's image schema ({@code spark.read.format("image")},
 * pixels interleaved in OpenCV's BGR order) or encoded image files in a binary column ({@code binaryFile}'s
 * {@code content}, a {@code prepare} shard's {@code image}). Checks a schema, and turns one value into pixels.
 */
enum ImageColumn {
    /** Spark's image struct: origin, height, width, nChannels, mode, data. */
    STRUCT,
    /** The bytes of a JPEG, PNG, BMP or GIF file. */
    ENCODED;

    private static final List<String> STRUCT_FIELDS = List.of("height", "width", "nChannels", "data");

    /** The kind of {@code column} in {@code schema}; an exception names the column and what to do. */
    static ImageColumn of(StructType schema, String column, String stage) {
        StructField field = field(schema, column, stage, "the images (Param inputCol)");
        DataType type = field.dataType();
        if (type instanceof BinaryType) {
            return ENCODED;
        }
        if (type instanceof StructType struct && Arrays.asList(struct.fieldNames()).containsAll(STRUCT_FIELDS)) {
            return STRUCT;
        }
        throw new IllegalArgumentException(stage + ": column '" + column + "' (Param inputCol) is " + type.simpleString()
                + "; it must hold Spark's image struct (spark.read.format(\"image\")) or the bytes of image files"
                + " (binary, as spark.read.format(\"binaryFile\") gives in 'content'): setInputCol to such a column.");
    }

    /** The field {@code column} of {@code schema}, or an exception listing the columns there are. */
    static StructField field(StructType schema, String column, String stage, String what) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(stage + ": no column '" + column + "' for " + what + "; the DataFrame"
                    + " has " + Arrays.toString(schema.fieldNames()) + ". Name the right column with the Param.");
        }
        return schema.apply(column);
    }

    /** A numeric label column (what StringIndexer writes), or an exception naming it. */
    static void checkLabel(StructType schema, String column, String stage) {
        StructField field = field(schema, column, stage, "the labels (Param labelCol)");
        if (!(field.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(stage + ": label column '" + column + "' (Param labelCol) is "
                    + field.dataType().simpleString() + "; it must be numeric class indices 0..classes-1: put a"
                    + " StringIndexer(inputCol = \"" + column + "\") before this stage and use its outputCol.");
        }
    }

    /** An output column must not exist yet: Spark ML never overwrites a column. */
    static void checkAbsent(StructType schema, String column, String param, String stage) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(stage + ": output column '" + column + "' (Param " + param + ")"
                    + " already exists; drop it or set" + Character.toUpperCase(param.charAt(0)) + param.substring(1)
                    + " to another name.");
        }
    }

    /** A struct value's pixels, or a {@link DataException} for a row the image source could not decode. */
    static Image decodeStruct(Row image, String where) {
        if (image == null) {
            throw new DataException(where + ": no image (null)");
        }
        int height = image.getInt(image.fieldIndex("height"));
        int width = image.getInt(image.fieldIndex("width"));
        int channels = image.getInt(image.fieldIndex("nChannels"));
        byte[] data = (byte[]) image.get(image.fieldIndex("data"));
        if (height <= 0 || width <= 0 || data == null || data.length == 0) {
            throw new DataException(where + ": the image source could not decode this file (an invalid image row:"
                    + " height " + height + ", width " + width + ")");
        }
        if (channels != 1 && channels != 3 && channels != 4 || data.length != (long) height * width * channels) {
            throw new DataException(where + ": an image row of " + width + "x" + height + "x" + channels + " holds "
                    + data.length + " bytes; it is damaged");
        }
        int kept = channels == 4 ? 3 : channels;
        float[] hwc = new float[height * width * kept];
        for (int i = 0; i < height * width; i++) {
            for (int c = 0; c < kept; c++) {
                // BGR(A) to RGB; grey stays grey.
                int from = kept == 3 ? 2 - c : c;
                hwc[i * kept + c] = data[i * channels + from] & 0xff;
            }
        }
        return new Image(height, width, kept, hwc);
    }

    /** An image's 0..255 pixels as unsigned bytes in channel-height-width order (the engine's raw records). */
    static byte[] chwBytes(Image image) {
        int plane = image.height() * image.width();
        byte[] chw = new byte[plane * image.channels()];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < image.channels(); c++) {
                chw[c * plane + i] = (byte) Math.round(image.pixels()[i * image.channels() + c]);
            }
        }
        return chw;
    }

    /** An image as a PNG file (lossless), for images of many sizes that the executors resize as files. */
    static byte[] png(Image image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(),
                image.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (image.channels() == 1) {
                    out.getRaster().setSample(x, y, 0, (int) image.get(y, x, 0));
                } else {
                    out.setRGB(x, y, ((int) image.get(y, x, 0) << 16) | ((int) image.get(y, x, 1) << 8)
                            | (int) image.get(y, x, 2));
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an image as PNG: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** Where a row came from, for messages: the struct's origin, else the DataFrame's path column, else its index. */
    record Source(int imageField, int pathField) implements Serializable {
        String of(Row row, long index) {
            if (imageField >= 0 && !row.isNullAt(imageField)) {
                Row image = row.getStruct(imageField);
                int origin = Arrays.asList(image.schema().fieldNames()).indexOf("origin");
                if (origin >= 0 && !image.isNullAt(origin) && !image.getString(origin).isEmpty()) {
                    return image.getString(origin);
                }
            }
            if (pathField >= 0 && !row.isNullAt(pathField)) {
                return row.get(pathField).toString();
            }
            return "row " + index;
        }
    }
}
