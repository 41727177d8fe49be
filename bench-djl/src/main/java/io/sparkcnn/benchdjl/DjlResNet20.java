package io.sparkcnn.benchdjl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The benchmark's DJL/PyTorch row t: the DL4J rows' ResNet-20 (jobs' {@code ResNet.cifar}, conf/resnet20-fashion.conf)
 * layer for layer: a 3x3x16 stem, three stages of three basic blocks with 16, 32 and 64 filters, each convolution
 * without bias and followed by batch norm, a 1x1 convolution + batch norm projection where a block changes the
 * shape (the paper's option B), global average pooling and a softmax layer of 10; He-normal init of the
 * convolutions and Glorot-normal of the output layer (DL4J's RELU and XAVIER); NCHW. Trained on Fashion-MNIST
 * enlarged bilinearly to 32x32 as {@code data.preprocess = {height = 32, width = 32}} does, with momentum SGD (0.9,
 * lr 0.1) and an L2 of 1e-4 on the weights alone, as DL4J's l2 leaves biases and batch norm alone.
 *
 * <p>Usage: {@code DjlResNet20 DATA_DIR OUT_DIR THREADS BATCH EPOCHS SEED [TRAIN_LIMIT]}.
 */
public final class DjlResNet20 {
    private static final int SIZE = 32;
    private static final int BLOCKS_PER_STAGE = 3;
    private static final float LEARNING_RATE = 0.1f;
    private static final float MOMENTUM = 0.9f;
    private static final float L2 = 1e-4f;

    /** Counts the forward multiply-adds as the DL4J rows' model summary does, while the blocks are built. */
    private long multiplyAdds;

    private DjlResNet20() {}

    public static void main(String[] args) throws Exception {
        DjlRun.Settings s = DjlRun.Settings.parse("DjlResNet20", args);
        DjlRun.Images train = DjlRun.Images.read(s.data(), "train", s.trainLimit(), SIZE, SIZE);
        DjlRun.Images test = DjlRun.Images.read(s.data(), "t10k", 0, SIZE, SIZE);
        DjlResNet20 counter = new DjlResNet20();
        SequentialBlock net = counter.resNet20();
        Parameter output = net.getChildren().values().get(net.getChildren().size() - 1).getParameters().get("weight");
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(momentumWithL2OnWeights(net))
                .optInitializer(new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2),
                        p -> p.getType() == Parameter.Type.WEIGHT && p != output)
                .optInitializer(new XavierInitializer(RandomType.GAUSSIAN, FactorType.AVG, 1), p -> p == output);
        DjlRun.train("resnet20-fashion", net, config, s, train, test, counter.multiplyAdds);
    }

    private SequentialBlock resNet20() {
        SequentialBlock net = new SequentialBlock().add(convBn(1, SIZE, 3, 1, 16, true));
        int channels = 16;
        int size = SIZE;
        for (int stage = 0; stage < 3; stage++) {
            int width = 16 << stage;
            for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                net.add(basic(channels, size, width, stride));
                channels = width;
                size /= stride;
            }
        }
        multiplyAdds += (long) channels * DjlRun.CLASSES;
        return net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(DjlRun.CLASSES).build());
    }

    /** Two 3x3 convolutions and the shortcut (the identity, or a 1x1 projection), summed, then a ReLU. */
    private Block basic(int channels, int size, int width, int stride) {
        SequentialBlock branch = new SequentialBlock()
                .add(convBn(channels, size, 3, stride, width, true))
                .add(convBn(width, size / stride, 3, 1, width, false));
        Block shortcut = channels != width || stride != 1
                ? convBn(channels, size, 1, stride, width, false)
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(DjlResNet20::sum, List.of(branch, shortcut)))
                .add(Activation::relu);
    }

    /**
     * A same-padded convolution without bias (batch norm's shift replaces it), batch norm, and maybe a ReLU; on a
     * {@code size} x {@code size} input of {@code channels}.
     */
    private SequentialBlock convBn(int channels, int size, int kernel, int stride, int filters, boolean relu) {
        long outputs = (long) filters * (size / stride) * (size / stride);
        // The summary counts a multiply-add per weight and output position, and one per element for batch norm.
        multiplyAdds += outputs * kernel * kernel * channels + outputs;
        SequentialBlock b = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                        .optPadding(new Shape(kernel / 2, kernel / 2)).setFilters(filters).optBias(false).build())
                .add(BatchNorm.builder().build());
        return relu ? b.add(Activation::relu) : b;
    }

    private static NDList sum(List<NDList> branches) {
        NDArray a = branches.get(0).singletonOrThrow();
        return new NDList(a.add(branches.get(1).singletonOrThrow()));
    }

    /**
     * PyTorch's {@code SGD(momentum=0.9)}, with the L2 term added to the gradients of the weights only: DJL's
     * weight decay would reach every parameter, batch norm's and the output layer's bias too.
     */
    private static Optimizer momentumWithL2OnWeights(Block net) {
        Set<String> weights = net.getParameters().values().stream()
                .filter(p -> p.getType() == Parameter.Type.WEIGHT).map(Parameter::getId).collect(Collectors.toSet());
        Optimizer decayed = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).optMomentum(MOMENTUM)
                .optWeightDecays(L2).build();
        Optimizer plain = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).optMomentum(MOMENTUM)
                .build();
        return new Optimizer(Optimizer.sgd()) {
            @Override
            public void update(String parameterId, NDArray weight, NDArray grad) {
                (weights.contains(parameterId) ? decayed : plain).update(parameterId, weight, grad);
            }
        };
    }
}
