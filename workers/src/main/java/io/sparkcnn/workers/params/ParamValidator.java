package io.sparkcnn.workers.params;

import java.util.function.Predicate;

/**
 * One rule a parameter's value must follow, with the words that state it ("must be at least 1"), as Spark ML's
 * {@code ParamValidators} are; {@link ParamValidators} makes the usual ones.
 */
public record ParamValidator<T>(Predicate<T> test, String rule) {
    public boolean accepts(T value) {
        return test.test(value);
    }

    /** Throws, naming the key, the rule and the value, when {@code value} breaks the rule. */
    public T check(String key, T value) {
        if (!accepts(value)) {
            throw new IllegalArgumentException(key + " " + rule + ", not " + value);
        }
        return value;
    }
}
