package io.sparkcnn.workers.train;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lets a network whose convolution and pooling layers run channels-last (NHWC) take the channels-first (NCHW)
 * minibatches that every input path of this project makes: it transposes the input on the way in and the
 * gradient on the way out. The NHWC layers are the point (DL4J's oneDNN helpers avoid a layout conversion per
 * op with them: LeNet-5 trained 1.2-1.3x and inferred 1.6-1.9x faster, see docs/performance.md); DL4J has no
 * such preprocessor of its own (its permute preprocessor lives in the Keras import module), and keeping the
 * input NCHW keeps the data plane, evaluation, prediction and saved models' callers unchanged.
 */
public final class ChannelsLastInput extends BaseInputPreProcessor {
    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, input.permute(0, 2, 3, 1), 'c');
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output.permute(0, 3, 1, 2), 'c');
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c) || c.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException("ChannelsLastInput takes NCHW image input, got " + inputType);
        }
        return InputType.convolutional(c.getHeight(), c.getWidth(), c.getChannels(), CNN2DFormat.NHWC);
    }

    @Override
    public ChannelsLastInput clone() {
        return new ChannelsLastInput();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelsLastInput;
    }

    @Override
    public int hashCode() {
        return ChannelsLastInput.class.hashCode();
    }
}
