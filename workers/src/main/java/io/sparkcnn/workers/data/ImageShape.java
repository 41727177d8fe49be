package io.sparkcnn.workers.data;

import java.io.Serializable;

/** The network's input volume: channels x height x width. */
public record ImageShape(int channels, int height, int width) implements Serializable {
    public int pixels() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + channels;
    }
}
