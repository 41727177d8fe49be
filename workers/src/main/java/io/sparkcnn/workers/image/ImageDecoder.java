package io.sparkcnn.workers.image;

import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.image.BadImageException.Reason;

/**
 * Turns the bytes of a JPEG, PNG, GIF or BMP file into an RGB or grey {@link Image} with values in 0..255.
 *
 * <p>The format is recognised by content, not by file name. The structure is checked first (a truncated or
 * broken file is rejected, not trained on with a grey bottom), then OpenCV decodes the common case and ImageIO
 * with TwelveMonkeys what OpenCV cannot: GIF, CMYK/YCCK JPEG, anything OpenCV refuses. Every failure is a
 * {@link DataException} naming the file, whose cause is a {@link BadImageException} with a reason code.
 */
public final class ImageDecoder {
    /** Larger images are refused rather than risk the executor's heap on a forged header (8000x5000 fits). */
    public static final long MAX_PIXELS = 40_000_000L;

    private ImageDecoder() {}

    /**
     * Decodes {@code bytes}, read from {@code path} (used only in messages), to {@code channels} channels:
     * 1 for grey (BT.601 luma), 3 for RGB. Alpha is dropped and 16-bit samples are scaled to 0..255.
     */
    public static Image decode(byte[] bytes, String path, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), not " + channels);
        }
        try {
            return decodeOrExplain(bytes, path, channels);
        } catch (BadImageException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    private static Image decodeOrExplain(byte[] bytes, String path, int channels) throws BadImageException {
        if (bytes.length == 0) {
            throw new BadImageException(path, Reason.EMPTY, "the file has zero bytes");
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw new BadImageException(path, Reason.NOT_AN_IMAGE, "its content does not start like an image ("
                    + leadingBytes(bytes) + ")");
        }
        ImageStructure.Header header = ImageStructure.check(bytes, format, path);
        boolean cmyk = format == ImageFormat.JPEG && header.components() == 4;
        if (format != ImageFormat.GIF && !cmyk) {
            Image image = OpenCvCodec.decode(bytes, channels);
            if (image != null) {
                return image;
            }
        }
        return ImageIoCodec.decode(bytes, format, channels, path);
    }

    private static String leadingBytes(byte[] bytes) {
        StringBuilder hex = new StringBuilder("first bytes");
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            hex.append(String.format(" %02x", bytes[i] & 0xff));
        }
        return hex.toString();
    }
}
