package io.sparkcnn.workers.data;

import java.io.Serializable;

/**
 * One example as it travels through the shards: a stable id (its index in the source, used for sharding and
 * for seeding per-record random choices), its class, and its pixels still as raw unsigned bytes in
 * channel-height-width order. Decoding to floats happens only inside the training task.
 */
public record LabeledImage(long id, int label, byte[] pixels) implements Serializable {}
