package io.sparkcnn.workers.exchange;

import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.RoundResult;
import io.sparkcnn.workers.train.TaskPhases;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A round's result as the bytes {@link PeerMesh} carries: a fixed header, then the floats in one bulk copy each.
 * Written by hand rather than with Java or Kryo serialisation because this runs every round on a state of millions
 * of floats: a bulk copy is a few milliseconds where Java serialisation took 17 ms to write and 14 to read a
 * LeNet-5 state (measured in the first version of the barrier exchange). Little-endian on every machine.
 */
public final class RoundResultCodec {
    private static final int MAGIC = 0x52524331;
    private static final int HEADER = 4 + 8 + 4 + 8 + 8 + 4 + 4 + 8 * 8 + 4 + 4;

    private RoundResultCodec() {}

    public static byte[] encode(RoundResult r) {
        ModelState s = r.state();
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * (s.params().length + s.updaterState().length))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putLong(r.examples()).putInt(r.minibatches()).putDouble(r.lossSum()).putLong(r.trainNanos())
                .putInt(s.iterations()).putInt(s.epochs());
        TaskPhases p = r.phases();
        b.putLong(p.stateFetchNanos()).putLong(p.stateLoadNanos()).putLong(p.firstBatchNanos()).putLong(p.stepNanos())
                .putLong(p.batchWaitNanos()).putLong(p.resultNanos()).putLong(p.partialSumNanos())
                .putLong(p.taskNanos());
        b.putInt(s.params().length).putInt(s.updaterState().length);
        b.asFloatBuffer().put(s.params()).put(s.updaterState());
        return b.array();
    }

    public static RoundResult decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER || b.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a round result of the barrier exchange (" + bytes.length
                    + " bytes): a worker of another version of spark-cnn?");
        }
        long examples = b.getLong();
        int minibatches = b.getInt();
        double lossSum = b.getDouble();
        long trainNanos = b.getLong();
        int iterations = b.getInt();
        int epochs = b.getInt();
        TaskPhases phases = new TaskPhases(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                b.getLong(), b.getLong(), b.getLong());
        float[] params = new float[b.getInt()];
        float[] state = new float[b.getInt()];
        if (bytes.length != HEADER + 4L * (params.length + state.length)) {
            throw new IllegalArgumentException("a round result of " + bytes.length + " bytes cannot hold "
                    + params.length + " parameters and " + state.length + " updater values");
        }
        b.asFloatBuffer().get(params).get(state);
        return new RoundResult(new ModelState(params, state, iterations, epochs), examples, minibatches, lossSum,
                trainNanos, phases);
    }
}
