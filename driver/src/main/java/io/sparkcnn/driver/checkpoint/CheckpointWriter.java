package io.sparkcnn.driver.checkpoint;

import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.workers.train.ModelState;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a checkpoint every {@code everyRounds} rounds (0: never mid-epoch) and at every epoch's end, holding the
 * states of the run's stateful listeners. It goes after them in the run's listener list, so that each checkpoint
 * holds what they recorded of the same round or epoch.
 */
public final class CheckpointWriter implements StatefulListener<CheckpointWriter.State> {
    private final CheckpointStore store;
    private final int everyRounds;
    private final List<Object> saved;
    private long rounds;
    private int nextRoundBlocks;

    /**
     * {@code listeners}: the run's other listeners, whose states (the stateful ones') every checkpoint holds;
     * {@code nextRoundBlocks}: the k the run starts with, kept until a round reports its own.
     */
    public CheckpointWriter(CheckpointStore store, int everyRounds, int nextRoundBlocks, List<?> listeners) {
        this.store = store;
        this.everyRounds = everyRounds;
        this.nextRoundBlocks = nextRoundBlocks;
        this.saved = new ArrayList<>(listeners);
        this.saved.add(this);
    }

    @Override
    public void onRound(RoundStats round, ModelState state, Position next) {
        rounds++;
        nextRoundBlocks = round.nextRoundBlocks();
        // The epoch's last round is checkpointed in onEpochEnd, once the epoch's evaluation is part of the record.
        if (everyRounds > 0 && rounds % everyRounds == 0 && next.block() != 0) {
            write(next, state);
        }
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState state) {
        write(new Position(epoch.epoch() + 1, 0), state);
    }

    private void write(Position next, ModelState state) {
        store.write(new Checkpoint(next, nextRoundBlocks, state, ListenerStates.of(saved)));
    }

    @Override
    public String name() {
        return "checkpoints";
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State state() {
        return new State(rounds);
    }

    @Override
    public void restore(State state) {
        rounds = state.rounds();
    }

    /** The rounds run so far in the whole run, which the every-K-rounds rule counts across a resume. */
    public record State(long rounds) {}
}
