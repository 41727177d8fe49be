package io.sparkcnn.jobs.source;

import io.sparkcnn.workers.data.DataException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What to do about image files that cannot be used: {@code skip} them (the run fails only when more than
 * {@code maxFraction} of the files examined are bad, since that smells of a wrong path or a broken copy) or
 * {@code fail} on the first one. Either way every rejected file is reported, never dropped silently.
 */
public record BadDataPolicy(Mode mode, double maxFraction) implements Serializable {
    /** How many paths an error message lists before it says "and N more". */
    static final int PATHS_SHOWN = 5;

    /** What a file that cannot be decoded does ({@code data.bad-data}). */
    public enum Mode implements io.sparkcnn.workers.params.ParamChoice {
        SKIP, FAIL;

        public static Mode parse(String text) {
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(text)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("bad-data must be skip or fail, not '" + text + "'");
        }
    }

    public BadDataPolicy {
        if (mode == null) {
            throw new IllegalArgumentException("bad-data must be skip or fail");
        }
        if (!(maxFraction >= 0 && maxFraction <= 1)) {
            throw new IllegalArgumentException("max-bad-fraction must be between 0 and 1, not " + maxFraction);
        }
    }

    public static BadDataPolicy skip(double maxFraction) {
        return new BadDataPolicy(Mode.SKIP, maxFraction);
    }

    public static BadDataPolicy fail() {
        return new BadDataPolicy(Mode.FAIL, 0);
    }

    /**
     * Throws a {@link DataException} when {@code bad} (sorted by path) breaks this policy for {@code what}
     * (a split's name, for the message), out of {@code examined} files in all.
     */
    public void enforce(String what, List<Rejected> bad, long examined) {
        if (bad.isEmpty()) {
            return;
        }
        if (mode == Mode.FAIL) {
            Rejected first = bad.get(0);
            throw new DataException(what + ": " + first.detail() + (bad.size() > 1 ? " (" + (bad.size() - 1)
                    + " more bad file(s): " + list(bad.subList(1, bad.size())) + ")" : "")
                    + ". With bad-data=fail every bad file stops the run; remove them or use bad-data=skip.");
        }
        double fraction = (double) bad.size() / Math.max(1, examined);
        if (fraction > maxFraction) {
            throw new DataException(String.format(Locale.ROOT, "%s: %d of %d image files (%.1f%%) are bad, more"
                            + " than the %.1f%% allowed (max-bad-fraction): %s. Check the data path, fix or remove"
                            + " them, or raise max-bad-fraction.", what, bad.size(), examined, 100 * fraction,
                    100 * maxFraction, list(bad)));
        }
    }

    private static String list(List<Rejected> bad) {
        String shown = bad.stream().limit(PATHS_SHOWN).map(Rejected::toString).collect(Collectors.joining(", "));
        return bad.size() > PATHS_SHOWN ? shown + " and " + (bad.size() - PATHS_SHOWN) + " more" : shown;
    }
}
