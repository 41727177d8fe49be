package io.sparkcnn.jobs.architectures.summary;

/** The size of one image's activations after a layer: width x height x depth, a vector being 1x1xN. */
public record Volume(long width, long height, long depth) {
    public static Volume vector(long size) {
        return new Volume(1, 1, size);
    }

    public long elements() {
        return width * height * depth;
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + depth;
    }
}
