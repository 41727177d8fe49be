package io.sparkcnn.workers.data.folder;

import java.io.Serializable;
import java.util.List;

/** What {@link FolderScanner} found: the classes, every usable image file, and the problems it noticed. */
public record FolderScan(String root, ClassIndex classes, List<FolderEntry> entries, List<ScanProblem> problems)
        implements Serializable {
    public List<FolderEntry> entries(Split split) {
        return entries.stream().filter(e -> e.split() == split).toList();
    }
}
