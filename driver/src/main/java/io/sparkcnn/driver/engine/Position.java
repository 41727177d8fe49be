package io.sparkcnn.driver.engine;

import java.io.Serializable;

/**
 * Where a run stands: the next block of tau steps to run, in an epoch counted from 1 and a block counted from 0.
 * A round starts at a block boundary, so a position names the next round's start whatever blocks a round covers.
 */
public record Position(int epoch, int block) implements Serializable {
    public static final Position START = new Position(1, 0);
}
