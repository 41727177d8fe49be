package io.sparkcnn.workers;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds for every random choice from the job's seed and the ids of what it is for
 * (a purpose such as "epoch-shuffle", then epoch, round, partition or record ids), so that a run is reproduced
 * by its seed alone and no two choices share a stream.
 */
public final class Seeds {
    private Seeds() {}

    public static long of(long jobSeed, String purpose, long... ids) {
        long h = mix(jobSeed ^ 0x9E3779B97F4A7C15L);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        for (long id : ids) {
            h = mix(h ^ id);
        }
        return h;
    }

    /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31) ^ 0x632BE59BD9B4E019L;
    }
}
