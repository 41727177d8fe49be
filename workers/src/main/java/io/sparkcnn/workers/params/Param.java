package io.sparkcnn.workers.params;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One configuration parameter, declared once as Spark ML's {@code Param} is: its key, its type, its default, what
 * it means and the rules its value follows. The job's keys and the preprocessing and augmentation keys are all
 * declared this way; the help screens, the readers and the checks work from these declarations.
 */
public final class Param<T> {
    private final String key;
    private final ParamType<T> type;
    private final T defaultValue;
    private final String doc;
    private final List<ParamValidator<? super T>> validators;

    private Param(String key, ParamType<T> type, T defaultValue, String doc, List<ParamValidator<? super T>> validators) {
        if (doc == null || doc.isBlank()) {
            throw new IllegalArgumentException(key + ": a parameter needs a doc");
        }
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.validators = List.copyOf(validators);
    }

    @SafeVarargs
    public static <T> Param<T> of(String key, ParamType<T> type, T defaultValue, String doc,
                                  ParamValidator<? super T>... validators) {
        return new Param<>(key, type, defaultValue, doc, List.of(validators));
    }

    @SafeVarargs
    public static Param<Integer> integer(String key, int defaultValue, String doc,
                                         ParamValidator<? super Integer>... validators) {
        return of(key, ParamType.INT, defaultValue, doc, validators);
    }

    @SafeVarargs
    public static Param<Double> number(String key, double defaultValue, String doc,
                                       ParamValidator<? super Double>... validators) {
        return of(key, ParamType.NUMBER, defaultValue, doc, validators);
    }

    public static Param<Boolean> bool(String key, boolean defaultValue, String doc) {
        return of(key, ParamType.BOOLEAN, defaultValue, doc);
    }

    @SafeVarargs
    public static Param<String> string(String key, String defaultValue, String doc,
                                       ParamValidator<? super String>... validators) {
        return of(key, ParamType.STRING, defaultValue, doc, validators);
    }

    public static Param<List<Integer>> ints(String key, List<Integer> defaultValue, String doc) {
        return of(key, ParamType.INTS, defaultValue, doc);
    }

    public static Param<List<Double>> numbers(String key, List<Double> defaultValue, String doc) {
        return of(key, ParamType.NUMBERS, defaultValue, doc);
    }

    public static Param<List<String>> strings(String key, List<String> defaultValue, String doc) {
        return of(key, ParamType.STRINGS, defaultValue, doc);
    }

    public static Param<List<List<Double>>> matrix(String key, List<List<Double>> defaultValue, String doc) {
        return of(key, ParamType.MATRIX, defaultValue, doc);
    }

    /** A choice among an enum's constants (or only {@code allowed} of them), spelt as their words. */
    @SafeVarargs
    public static <E extends Enum<E> & ParamChoice> Param<E> choice(String key, E defaultValue, String doc,
                                                                    E... allowed) {
        return of(key, ParamType.choice(defaultValue.getDeclaringClass(), allowed), defaultValue, doc);
    }

    /** A value built and checked by its own reader from a configuration list or object. */
    public static <T> Param<T> structured(String key, String name, Object emptyValue, Function<Object, T> build,
                                          String doc) {
        ParamType<T> type = ParamType.structured(name, build, emptyValue);
        return of(key, type, type.read(emptyValue), doc);
    }

    public String key() {
        return key;
    }

    public ParamType<T> type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The default as configuration writes it (a choice's word, a list), for a HOCON fallback or a help line. */
    public Object defaultWritten() {
        return type.write(defaultValue);
    }

    public String doc() {
        return doc;
    }

    public List<ParamValidator<? super T>> validators() {
        return validators;
    }

    /** The value of a configuration entry ({@code raw} as Typesafe Config unwraps it, or text), checked. */
    public T read(Object raw) {
        T value;
        try {
            value = type.read(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key \"" + key + "\" = " + ParamType.show(raw) + " is not allowed: "
                    + e.getMessage());
        }
        return validate(value);
    }

    /** Throws, naming the key, the rule and the value, when {@code value} breaks one of the rules. */
    public T validate(T value) {
        problem(value).ifPresent(rule -> {
            throw new IllegalArgumentException(key + " " + rule + ", not " + value);
        });
        return value;
    }

    /** The first rule {@code value} breaks ("must be at least 1"), if any. */
    public Optional<String> problem(T value) {
        return validators.stream().filter(v -> !v.accepts(value)).map(ParamValidator::rule).findFirst();
    }

    /** What the key accepts: its type and its rules. */
    public String allowed() {
        StringBuilder out = new StringBuilder(type.name());
        validators.forEach(v -> out.append(", ").append(v.rule().replaceFirst("^must be ", "")));
        return out.toString();
    }

    /** The help line: {@code key = default  (allowed) doc}. */
    @Override
    public String toString() {
        return key + " = " + ParamType.show(defaultWritten()) + "  (" + allowed() + ") " + doc;
    }
}
