package io.sparkcnn.jobs.architectures.summary;

/**
 * How many input pixels one output unit sees (size) and how far apart neighbouring units' windows start in the
 * input (jump), per direction, following r_out = r_in + (F - 1) * j_in and j_out = j_in * S.
 */
public record ReceptiveField(long height, long width, long jumpHeight, long jumpWidth) {
    static final ReceptiveField PIXEL = new ReceptiveField(1, 1, 1, 1);

    /** After a window whose kernel (already dilated) is {@code kernelH x kernelW} and stride {@code strideH x strideW}. */
    ReceptiveField through(long kernelH, long kernelW, long strideH, long strideW) {
        return new ReceptiveField(height + (kernelH - 1) * jumpHeight, width + (kernelW - 1) * jumpWidth,
                jumpHeight * strideH, jumpWidth * strideW);
    }

    /** Where branches join, the output sees at least what its widest input sees. */
    ReceptiveField widest(ReceptiveField other) {
        return new ReceptiveField(Math.max(height, other.height), Math.max(width, other.width),
                Math.max(jumpHeight, other.jumpHeight), Math.max(jumpWidth, other.jumpWidth));
    }

    @Override
    public String toString() {
        return height == width ? Long.toString(height) : height + "x" + width;
    }
}
