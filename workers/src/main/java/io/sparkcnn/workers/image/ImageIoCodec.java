package io.sparkcnn.workers.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import io.sparkcnn.workers.image.BadImageException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageInputStream;

/**
 * The fallback path: ImageIO with TwelveMonkeys' JPEG reader, which reads what OpenCV cannot: GIF, and
 * CMYK/YCCK JPEGs with their embedded colour profile applied (OpenCV ignores the profile).
 */
final class ImageIoCodec {
    private ImageIoCodec() {}

    static Image decode(byte[] bytes, ImageFormat format, int channels, String path) throws BadImageException {
        ImageReader reader = reader(format, path);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            if ((long) reader.getWidth(0) * reader.getHeight(0) > ImageDecoder.MAX_PIXELS) {
                throw new BadImageException(path, Reason.TOO_LARGE, reader.getWidth(0) + "x" + reader.getHeight(0));
            }
            return Channels.convert(toImage(reader.read(0)), channels);
        } catch (IOException | RuntimeException e) {
            // ImageIO's readers throw unchecked exceptions too (IndexOutOfBounds, IllegalArgument) on bad data.
            throw new BadImageException(path, Reason.CORRUPT, format + " data cannot be decoded (" + e + ")");
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader reader(ImageFormat format, String path) throws BadImageException {
        if (format == ImageFormat.JPEG) {
            try {
                return twelveMonkeysJpeg().createReaderInstance();
            } catch (IOException e) {
                throw new IllegalStateException("TwelveMonkeys' JPEG reader cannot be created", e);
            }
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase());
        if (!readers.hasNext()) {
            throw new BadImageException(path, Reason.NOT_AN_IMAGE, "this JVM has no " + format + " reader");
        }
        return readers.next();
    }

    /**
     * Looked up by class rather than by format name, so that the JDK's reader, which fails on CMYK, is never
     * picked; registered by hand when the registry was filled by a class loader that did not see the jar.
     */
    private static JPEGImageReaderSpi twelveMonkeysJpeg() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        JPEGImageReaderSpi spi = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
        if (spi == null) {
            registry.registerServiceProvider(new JPEGImageReaderSpi());
            spi = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
        }
        return spi;
    }

    private static Image toImage(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        boolean grey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel);
        if (grey) {
            // Raw samples: getRGB would push grey through a linear-to-sRGB conversion and change the values.
            Raster raster = image.getRaster();
            float scale = 255f / ((1 << image.getColorModel().getComponentSize(0)) - 1);
            float[] out = new float[height * width];
            raster.getSamples(0, 0, width, height, 0, out);
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.round(out[i] * scale);
            }
            return new Image(height, width, 1, out);
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        float[] out = new float[height * width * 3];
        for (int i = 0; i < argb.length; i++) {
            out[3 * i] = (argb[i] >> 16) & 0xff;
            out[3 * i + 1] = (argb[i] >> 8) & 0xff;
            out[3 * i + 2] = argb[i] & 0xff;
        }
        return new Image(height, width, 3, out);
    }
}
