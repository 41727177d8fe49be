package io.sparkcnn.workers.params;

import java.util.Locale;

/**
 * An enum whose constants are a parameter's choices, spelt in configuration as {@link #word()}: by default the
 * constant's name in lower case with '-' for '_' ({@code CIFAR100_FINE} is {@code cifar100-fine}).
 */
public interface ParamChoice {
    String name();

    default String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
