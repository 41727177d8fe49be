package io.sparkcnn.workers.image;

/** The encodings the decoder accepts, recognised by their first bytes rather than by file extension. */
enum ImageFormat {
    JPEG, PNG, GIF, BMP;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** The format {@code bytes} starts like, or null when it is none we read. */
    static ImageFormat sniff(byte[] bytes) {
        if (startsWith(bytes, (byte) 0xff, (byte) 0xd8)) { // SOI; what follows is the structure check's job
            return JPEG;
        }
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return PNG;
        }
        if (startsWith(bytes, "GIF87a".getBytes()) || startsWith(bytes, "GIF89a".getBytes())) {
            return GIF;
        }
        if (startsWith(bytes, (byte) 'B', (byte) 'M')) {
            return BMP;
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, byte... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
