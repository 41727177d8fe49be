package io.sparkcnn.workers.data.folder;

import java.io.Serializable;

/** One image file found by the scan: its full path, its class and split, and its size in bytes. */
public record FolderEntry(String path, int label, String className, Split split, long bytes) implements Serializable {}
