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
        return encode(r, null);
    }

    /**
     * {@link #encode(RoundResult)} into {@code reusable} when it has the size this result needs (last round's
     * bytes, used again), else into a new array; the bytes written.
     */
    public static byte[] encode(RoundResult r, byte[] reusable) {
        ModelState s = r.state();
        int size = HEADER + 4 * (s.params().length + s.updaterState().length);
        ByteBuffer b = ByteBuffer.wrap(reusable != null && reusable.length == size ? reusable : new byte[size])
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
        return decode(bytes, null, null);
    }

    /**
     * {@link #decode(byte[])}, the parameters and updater state read into {@code params} and {@code state} when they
     * have the lengths the bytes hold (last round's arrays, used again), else into new arrays.
     */
    public static RoundResult decode(byte[] bytes, float[] reusableParams, float[] reusableState) {
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
        int paramCount = b.getInt();
        int stateCount = b.getInt();
        if (paramCount < 0 || stateCount < 0 || bytes.length != HEADER + 4L * (paramCount + (long) stateCount)) {
            throw new IllegalArgumentException("a round result of " + bytes.length + " bytes cannot hold "
                    + paramCount + " parameters and " + stateCount + " updater values");
        }
        float[] params = ofLength(reusableParams, paramCount);
        float[] state = ofLength(reusableState, stateCount);
        b.asFloatBuffer().get(params).get(state);
        return new RoundResult(new ModelState(params, state, iterations, epochs), examples, minibatches, lossSum,
                trainNanos, phases);
    }

    private static float[] ofLength(float[] reusable, int length) {
        return reusable != null && reusable.length == length ? reusable : new float[length];
    }
}
