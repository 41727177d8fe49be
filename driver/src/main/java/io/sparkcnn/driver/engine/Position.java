package io.sparkcnn.driver.engine;

import java.io.Serializable;

/** Where a run stands: the next round to run, in an epoch counted from 1 and a round counted from 0. */
public record Position(int epoch, int round) implements Serializable {
    public static final Position START = new Position(1, 0);
}
