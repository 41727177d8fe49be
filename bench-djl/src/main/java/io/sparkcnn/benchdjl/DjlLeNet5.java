package io.sparkcnn.benchdjl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * The benchmark's DJL/PyTorch row j: LeNet-5 in the Caffe form of the DL4J rows (conv 5x5x20, max pool 2, conv
 * 5x5x50, max pool 2, FC 500 ReLU, FC 10; valid convolutions, Xavier init, Adam 0.001), the same Fashion-MNIST
 * files scaled to [0, 1], the same batch size and native threads, and the same race to a test accuracy.
 *
 * <p>Usage: {@code DjlLeNet5 DATA_DIR OUT_DIR THREADS BATCH EPOCHS SEED [TRAIN_LIMIT]}; the race comes from the
 * same SPARK_CNN_BENCH_* environment as the other rows.
 */
public final class DjlLeNet5 {
    private DjlLeNet5() {}

    public static void main(String[] args) throws Exception {
        DjlRun.Settings s = DjlRun.Settings.parse("DjlLeNet5", args);
        DjlRun.Images train = DjlRun.Images.read(s.data(), "train", s.trainLimit(), 28, 28);
        DjlRun.Images test = DjlRun.Images.read(s.data(), "t10k", 0, 28, 28);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build())
                .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        DjlRun.train("lenet5-fashion", lenet5(), config, s, train, test, 0);
    }

    static SequentialBlock lenet5() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(20).build())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(50).build())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(500).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(DjlRun.CLASSES).build());
    }
}
