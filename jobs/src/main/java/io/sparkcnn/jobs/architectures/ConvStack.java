package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A plain convolutional stack described by the classic pattern {@code [(CONV-RELU)*N-POOL?]*M-(FC-RELU)*K-SOFTMAX}
 * (as in the CS231n notes): M blocks of N same-padded convolutions each followed by a 2x2/2 max pool, then K
 * hidden fully connected layers. The ConvNetJS CIFAR-10 demo's network is one such stack.
 */
public record ConvStack(int convsPerBlock, boolean pool, int blocks, int hiddenFc, List<Integer> filters, int kernel,
                        int fcUnits, boolean batchNorm) {
    public static final String FORM = "[(CONV-RELU)*N-POOL]*M-(FC-RELU)*K-SOFTMAX";
    private static final Pattern PATTERN = Pattern.compile(
            "\\[\\(CONV-RELU\\)\\*(\\d+)(-POOL)?]\\*(\\d+)(?:-\\(FC-RELU\\)\\*(\\d+))?-SOFTMAX");

    /** The ConvNetJS CIFAR-10 demo: three blocks of a 5x5 convolution (16, 20, 20 filters) and a pool. */
    public static ConvStack convNetJs() {
        return new ConvStack(1, true, 3, 0, List.of(16, 20, 20), 5, 0, false);
    }

    /**
     * Parses {@code pattern}; {@code filters} gives one filter count per block, or one for all blocks.
     *
     * @throws IllegalArgumentException naming what does not fit the pattern's form
     */
    public static ConvStack parse(String pattern, List<Integer> filters, int kernel, int fcUnits, boolean batchNorm) {
        String compact = pattern.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        Matcher m = PATTERN.matcher(compact);
        if (!m.matches()) {
            throw new IllegalArgumentException("model.pattern: '" + pattern + "' does not have the form " + FORM
                    + " (-POOL and the FC part are optional), for example [(CONV-RELU)*2-POOL]*3-(FC-RELU)*1-SOFTMAX.");
        }
        int n = Integer.parseInt(m.group(1));
        int blocks = Integer.parseInt(m.group(3));
        int k = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        if (n < 1 || blocks < 1) {
            throw new IllegalArgumentException("model.pattern: '" + pattern + "' needs N and M of at least 1.");
        }
        if (filters.size() != 1 && filters.size() != blocks) {
            throw new IllegalArgumentException("model.filters: " + filters + " has " + filters.size()
                    + " entries; give one per block (" + blocks + ") or one for all.");
        }
        List<Integer> perBlock = filters.size() == 1 ? java.util.Collections.nCopies(blocks, filters.get(0)) : filters;
        return new ConvStack(n, m.group(2) != null, blocks, k, List.copyOf(perBlock), kernel, fcUnits, batchNorm);
    }

    NetworkSpec spec(ImageShape input, int classes, Hyper hyper) {
        NeuralNetConfiguration.ListBuilder list = hyper.base(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .list();
        for (int block = 0; block < blocks; block++) {
            for (int i = 0; i < convsPerBlock; i++) {
                String name = "conv" + (block + 1) + "_" + (i + 1);
                list.layer(new ConvolutionLayer.Builder(kernel, kernel).name(name).nOut(filters.get(block))
                        .activation(batchNorm ? Activation.IDENTITY : Activation.RELU).build());
                if (batchNorm) {
                    list.layer(new BatchNormalization.Builder().name(name + "_bn").activation(Activation.RELU).build());
                }
            }
            if (pool) {
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool" + (block + 1))
                        .kernelSize(2, 2).stride(2, 2).build());
            }
        }
        double keep = hyper.keepProbability(0);
        for (int i = 0; i < hiddenFc; i++) {
            list.layer(new DenseLayer.Builder().name("fc" + (i + 1)).nOut(fcUnits).activation(Activation.RELU)
                    .dropOut(i == 0 ? 0 : keep).build());
        }
        return NetworkSpec.of(hyper.layout(list
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                        .dropOut(hiddenFc > 0 ? keep : 0).build())
                .setInputType(InputType.convolutional(input.height(), input.width(), input.channels())))
                .build());
    }
}
