package io.sparkcnn.workers.data;

import java.io.Serializable;

/**
 * One example as it travels through the shards: a stable id (its index in the source, used for sharding and
 * for seeding per-record random choices), its class, its bytes, and where it came from (a file path, for error
 * messages; null for records read from one big file such as IDX). The bytes are either raw unsigned pixels in
 * channel-height-width order (IDX, CIFAR) or an encoded image file (folders, packed shards); the job's
 * {@link BatchMaker} knows which. Decoding happens only inside the training task.
 */
public record LabeledImage(long id, int label, byte[] pixels, String source) implements Serializable {
    public LabeledImage(long id, int label, byte[] pixels) {
        this(id, label, pixels, null);
    }

    /** This record under another id, as when a split renumbers the training set. */
    public LabeledImage withId(long newId) {
        return new LabeledImage(newId, label, pixels, source);
    }

    /** The source for messages: the file, or the record's id when it has no file of its own. */
    public String describe() {
        return source != null ? source : "record " + id;
    }
}
