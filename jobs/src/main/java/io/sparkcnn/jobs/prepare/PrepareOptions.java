package io.sparkcnn.jobs.prepare;

import io.sparkcnn.jobs.source.BadDataPolicy;
import io.sparkcnn.workers.data.folder.SplitFractions;
import java.nio.file.Path;

/**
 * Everything {@code prepare} is told (the folder to write: a local path or a Hadoop file system URI), checked in one place before any work starts: the tree to read, the folder
 * to write, shards per split, the resize, the split fractions and seed, the bad-data policy and the channels.
 */
public record PrepareOptions(String root, String out, int shards, int shorterSide, SplitFractions fractions,
                             BadDataPolicy badData, int channels, String master) {
    public PrepareOptions {
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("--root: give the image folder tree to prepare");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out: give the folder to write the shards to");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("--shards must be at least 1, not " + shards);
        }
        if (shorterSide < 0) {
            throw new IllegalArgumentException("--shorter-side must be 0 (keep the size) or more, not " + shorterSide);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("--channels must be 1 (grey) or 3 (RGB), not " + channels);
        }
    }

    /** With a local output folder. */
    public PrepareOptions(String root, Path out, int shards, int shorterSide, SplitFractions fractions,
                          BadDataPolicy badData, int channels, String master) {
        this(root, out == null ? null : out.toString(), shards, shorterSide, fractions, badData, channels, master);
    }
}
