package io.sparkcnn.workers.image;

import io.sparkcnn.workers.image.BadImageException.Reason;
import java.util.zip.CRC32;

/**
 * Walks the container structure of an encoded image (JPEG markers, PNG chunks, GIF trailer, BMP sizes) without
 * decoding pixels. Needed because libjpeg pads a truncated JPEG with grey and carries on: a file that ends
 * early must be reported, not trained on. It also reads the size, so that a forged header cannot make a
 * decoder allocate gigabytes.
 */
final class ImageStructure {
    /** Width, height and, for JPEG, the number of colour components (4 means CMYK or YCCK). */
    record Header(int width, int height, int components) {}

    private ImageStructure() {}

    static Header check(byte[] b, ImageFormat format, String path) throws BadImageException {
        return switch (format) {
            case JPEG -> jpeg(b, path);
            case PNG -> png(b, path);
            case GIF -> gif(b, path);
            case BMP -> bmp(b, path);
        };
    }

    private static Header jpeg(byte[] b, String path) throws BadImageException {
        Header frame = null;
        boolean sawScan = false;
        int pos = 2;
        while (true) {
            if (pos >= b.length) {
                throw truncated(path, "the JPEG ends at byte " + b.length + " without its end-of-image marker");
            }
            if ((b[pos] & 0xff) != 0xff) {
                throw corrupt(path, "the JPEG has no marker where one belongs, at byte " + pos);
            }
            while (pos < b.length && (b[pos] & 0xff) == 0xff) {
                pos++; // fill bytes before a marker are allowed
            }
            if (pos >= b.length) {
                throw truncated(path, "the JPEG ends inside a marker");
            }
            int marker = b[pos++] & 0xff;
            if (marker == 0xd9) {
                if (frame == null || !sawScan) {
                    throw corrupt(path, "the JPEG ends before any image data");
                }
                return frame;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                continue;
            }
            if (marker == 0xd8 || marker == 0x00) {
                throw corrupt(path, String.format("the JPEG has a misplaced marker 0x%02x at byte %d", marker, pos - 1));
            }
            if (pos + 2 > b.length) {
                throw truncated(path, "the JPEG ends inside a segment header");
            }
            int length = u16(b, pos);
            if (length < 2) {
                throw corrupt(path, "the JPEG has a segment of impossible length " + length + " at byte " + pos);
            }
            if (pos + length > b.length) {
                throw truncated(path, String.format("the JPEG ends inside its 0x%02x segment", marker));
            }
            if (isStartOfFrame(marker)) {
                if (length < 8) {
                    throw corrupt(path, "the JPEG's frame header is too short");
                }
                frame = sized(path, u16(b, pos + 5), u16(b, pos + 3), b[pos + 7] & 0xff);
            }
            pos += length;
            if (marker == 0xda) {
                if (frame == null) {
                    throw corrupt(path, "the JPEG's image data comes before its frame header");
                }
                sawScan = true;
                pos = skipEntropyCodedData(b, pos, path);
            }
        }
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }

    /** Returns the position of the marker that ends the scan. */
    private static int skipEntropyCodedData(byte[] b, int pos, String path) throws BadImageException {
        int last = b.length - 1;
        while (pos < last) {
            if ((b[pos] & 0xff) == 0xff) {
                int next = b[pos + 1] & 0xff;
                // 0xff00 is an escaped data byte, 0xffd0..d7 restart markers: both belong to the scan.
                if (next != 0x00 && next != 0xff && (next < 0xd0 || next > 0xd7)) {
                    return pos;
                }
                pos += next == 0xff ? 1 : 2;
            } else {
                pos++;
            }
        }
        throw truncated(path, "the JPEG ends inside its image data, without its end-of-image marker");
    }

    private static final int IHDR = 0x49484452;
    private static final int IEND = 0x49454e44;

    private static Header png(byte[] b, String path) throws BadImageException {
        Header header = null;
        int pos = 8;
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 8 > b.length) {
                throw truncated(path, "the PNG ends at byte " + b.length + " without its IEND chunk");
            }
            int length = s32(b, pos);
            int type = s32(b, pos + 4);
            if (length < 0) {
                throw corrupt(path, "the PNG has a chunk of impossible length at byte " + pos);
            }
            if ((long) pos + 12 + length > b.length) {
                throw truncated(path, "the PNG ends inside a chunk, without its IEND chunk");
            }
            crc.reset();
            crc.update(b, pos + 4, 4 + length);
            if ((int) crc.getValue() != s32(b, pos + 8 + length)) {
                throw corrupt(path, "the PNG chunk at byte " + pos + " fails its checksum");
            }
            if (header == null) {
                if (type != IHDR || length < 13) {
                    throw corrupt(path, "the PNG does not start with its IHDR chunk");
                }
                header = sized(path, s32(b, pos + 8), s32(b, pos + 12), 0);
            }
            if (type == IEND) {
                return header;
            }
            pos += 12 + length;
        }
    }

    private static Header gif(byte[] b, String path) throws BadImageException {
        if (b.length < 13) {
            throw truncated(path, "the GIF ends inside its header");
        }
        Header header = sized(path, u16le(b, 6), u16le(b, 8), 0);
        if (b[b.length - 1] != 0x3b) {
            throw truncated(path, "the GIF does not end with its trailer byte");
        }
        return header;
    }

    private static Header bmp(byte[] b, String path) throws BadImageException {
        if (b.length < 26) {
            throw truncated(path, "the BMP ends inside its header");
        }
        long declaredSize = s32le(b, 2) & 0xffffffffL;
        int dataOffset = s32le(b, 10);
        int dibSize = s32le(b, 14);
        boolean os2 = dibSize == 12;
        if (!os2 && b.length < 34) {
            throw truncated(path, "the BMP ends inside its header");
        }
        int width = os2 ? u16le(b, 18) : s32le(b, 18);
        int height = Math.abs(os2 ? u16le(b, 20) : s32le(b, 22)); // negative means stored top-down
        int bitsPerPixel = u16le(b, os2 ? 24 : 28);
        Header header = sized(path, width, height, 0);
        if (declaredSize > b.length) {
            throw truncated(path, "the BMP header announces " + declaredSize + " bytes but the file has " + b.length);
        }
        int compression = os2 ? 0 : s32le(b, 30);
        if (compression == 0 || compression == 3) { // uncompressed rows: their size is known
            long rowBytes = ((long) width * bitsPerPixel + 31) / 32 * 4;
            if (dataOffset < 0 || dataOffset + rowBytes * height > b.length) {
                throw truncated(path, "the BMP's pixel rows end after the file does");
            }
        }
        return header;
    }

    private static Header sized(String path, int width, int height, int components) throws BadImageException {
        if (width <= 0 || height <= 0) {
            throw corrupt(path, "its header gives an impossible size of " + width + "x" + height);
        }
        if ((long) width * height > ImageDecoder.MAX_PIXELS) {
            throw new BadImageException(path, Reason.TOO_LARGE, width + "x" + height + " is more than the "
                    + ImageDecoder.MAX_PIXELS + " pixels the decoder accepts");
        }
        return new Header(width, height, components);
    }

    private static BadImageException truncated(String path, String detail) {
        return new BadImageException(path, Reason.TRUNCATED, detail);
    }

    private static BadImageException corrupt(String path, String detail) {
        return new BadImageException(path, Reason.CORRUPT, detail);
    }

    private static int u16(byte[] b, int pos) {
        return ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    }

    private static int s32(byte[] b, int pos) {
        return (u16(b, pos) << 16) | u16(b, pos + 2);
    }

    private static int u16le(byte[] b, int pos) {
        return (b[pos] & 0xff) | ((b[pos + 1] & 0xff) << 8);
    }

    private static int s32le(byte[] b, int pos) {
        return u16le(b, pos) | (u16le(b, pos + 2) << 16);
    }
}
