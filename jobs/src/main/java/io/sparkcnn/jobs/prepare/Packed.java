package io.sparkcnn.jobs.prepare;

import io.sparkcnn.jobs.source.Rejected;
import java.io.Serializable;

/**
 * What the prepare pass made of one source file: the shard row and the image's pixel statistics, or why the
 * file was rejected. Cached between counting and writing, so every image is decoded once.
 */
record Packed(long id, ShardRow row, ChannelStats stats, Rejected rejected) implements Serializable {
    static Packed good(long id, ShardRow row, ChannelStats stats) {
        return new Packed(id, row, stats, null);
    }

    static Packed bad(long id, Rejected rejected) {
        return new Packed(id, null, null, rejected);
    }

    boolean isGood() {
        return row != null;
    }
}
