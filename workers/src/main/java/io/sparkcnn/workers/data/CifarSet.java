package io.sparkcnn.workers.data;

import java.util.List;

/**
 * One split of a CIFAR dataset as read: the files it came from (in id order), the class names (from the
 * dataset's names file, or the label numbers when it is absent) and the images, ids counting from 0.
 */
public record CifarSet(List<String> files, List<String> classNames, List<LabeledImage> images) {}
