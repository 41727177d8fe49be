package io.sparkcnn.jobs.architectures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.jobs.architectures.summary.ModelSummary;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NativeBackend;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.Networks;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** Every architecture builds for a small input, runs a forward and a backward pass, and has the published size. */
class ArchitecturesTest {
    private static final Hyper HYPER = Hyper.of(1, new Sgd(0.01));
    /** As a job with {@code model.dropout = 0.3}. */
    private static final Hyper DROPOUT = new Hyper(1, new Sgd(0.01), 0, 0, 0, 0.3, 0, false);

    /** The oneDNN build and DL4J's layer helpers, as every job runs, if ND4J is not loaded yet in this JVM. */
    @BeforeAll
    static void nativeBackend() {
        NativeBackend.select();
    }

    static NetworkSpec build(String name, ImageShape input, int classes) {
        return build(name, input, classes, false);
    }

    static NetworkSpec build(String name, ImageShape input, int classes, boolean channelsLast) {
        Hyper HYPER = ArchitecturesTest.HYPER.withChannelsLast(channelsLast);
        Hyper DROPOUT = ArchitecturesTest.DROPOUT.withChannelsLast(channelsLast);
        return switch (name) {
            case "lenet5" -> LeNet5.spec(input, classes, HYPER);
            case "alexnet" -> AlexNet.spec(input, classes, HYPER);
            case "vgg16" -> Vgg.spec(input, classes, HYPER, 16);
            case "vgg19" -> Vgg.spec(input, classes, HYPER, 19);
            case "googlenet" -> GoogLeNet.spec(input, classes, HYPER);
            case "resnet18" -> ResNet.imageNet(input, classes, HYPER, 18);
            case "resnet34" -> ResNet.imageNet(input, classes, HYPER, 34);
            case "resnet50" -> ResNet.imageNet(input, classes, HYPER, 50);
            case "resnet20" -> ResNet.cifar(input, classes, HYPER, 20);
            case "resnet56" -> ResNet.cifar(input, classes, HYPER, 56);
            case "preact-resnet18" -> PreActResNet.eighteen(input, classes, HYPER);
            case "preact-resnet20" -> PreActResNet.cifar(input, classes, HYPER, 20);
            case "preact-resnet56" -> PreActResNet.cifar(input, classes, HYPER, 56);
            case "preact-resnet110" -> PreActResNet.cifar(input, classes, HYPER, 110);
            case "wrn-16-4" -> PreActResNet.wide(input, classes, HYPER, 16, 4);
            case "wrn-10-2-dropout" -> PreActResNet.wide(input, classes, DROPOUT, 10, 2);
            case "densenet-bc100" -> DenseNet.bc(input, classes, HYPER, 100, 12);
            case "densenet-bc40-dropout" -> DenseNet.bc(input, classes, DROPOUT, 40, 12);
            case "mobilenet" -> MobileNet.spec(input, classes, HYPER, 0.25);
            case "convnetjs" -> ConvStack.convNetJs().spec(input, classes, HYPER);
            case "custom" -> ConvStack.parse("[(CONV-RELU)*2-POOL]*2-(FC-RELU)*1-SOFTMAX", List.of(8, 16), 3, 32, true)
                    .spec(input, classes, HYPER);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static ModelSummary summary(NetworkSpec spec, ImageShape s) {
        InputType type = InputType.convolutional(s.height(), s.width(), s.channels());
        return spec.graph() ? ModelSummary.of(ComputationGraphConfiguration.fromJson(spec.json()), type)
                : ModelSummary.of(MultiLayerConfiguration.fromJson(spec.json()), type);
    }

    @ParameterizedTest(name = "{0} on {2}x{3}x{1}")
    @CsvSource({
        "lenet5, 1, 28, 28", "alexnet, 3, 67, 67", "vgg16, 3, 32, 32", "vgg19, 3, 32, 32", "googlenet, 3, 32, 32",
        "resnet18, 3, 32, 32", "resnet34, 3, 32, 32", "resnet50, 3, 32, 32", "resnet20, 1, 28, 28",
        "resnet56, 3, 32, 32", "mobilenet, 3, 32, 32", "convnetjs, 3, 32, 32", "custom, 1, 28, 28",
        "preact-resnet18, 1, 28, 28", "preact-resnet18, 3, 32, 32", "preact-resnet20, 1, 28, 28",
        "preact-resnet110, 3, 32, 32", "wrn-16-4, 1, 28, 28", "wrn-16-4, 3, 32, 32", "wrn-10-2-dropout, 1, 28, 28",
        "densenet-bc100, 1, 28, 28", "densenet-bc100, 3, 32, 32", "densenet-bc40-dropout, 3, 32, 32",
    })
    void takesAForwardAndABackwardPassOnATinyBatch(String name, int channels, int height, int width) {
        ImageShape input = new ImageShape(channels, height, width);
        NetworkSpec spec = build(name, input, 7);
        NeuralNetwork net = spec.build();
        Nd4j.getRandom().setSeed(3);
        INDArray features = Nd4j.rand(new int[] {2, channels, height, width});
        INDArray labels = Nd4j.zeros(2, 7);
        labels.putScalar(0, 1, 1);
        labels.putScalar(1, 4, 1);
        float[] before = net.params().toFloatVector();

        net.fit(new DataSet(features, labels));

        assertFalse(Arrays.equals(before, net.params().toFloatVector()), "a training step moves the parameters");
        assertArrayEquals(new long[] {2, 7}, Networks.output(net, features).shape());
        assertEquals(Networks.numParams(net), summary(spec, input).totalParameters(),
                "the summary counts what DL4J allocates");
    }

    @Test
    void channelsLastLeNet5RunsItsConvolutionsNhwcButTakesAndTrainsOnNchwInput() {
        ImageShape mnist = new ImageShape(1, 28, 28);
        MultiLayerConfiguration conf = LeNet5.configuration(mnist, 10, HYPER.withChannelsLast(true));
        assertEquals(CNN2DFormat.NHWC, ((ConvolutionLayer) conf.getConf(0).getLayer()).getCnn2dDataFormat());
        assertEquals(CNN2DFormat.NHWC, ((SubsamplingLayer) conf.getConf(3).getLayer()).getCnn2dDataFormat());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(431_080, net.numParams());
        DataSet batch = new DataSet(Nd4j.rand(new int[] {4, 1, 28, 28}), Nd4j.eye(10).getRows(0, 1, 2, 3));
        INDArray before = net.params().dup();
        net.fit(batch);
        assertFalse(before.equals(net.params()), "a step on an NCHW batch moved the parameters");
        assertArrayEquals(new long[] {4, 10}, net.output(batch.getFeatures()).shape());
    }

    /**
     * The networks whose head is a global pooling compute the same function channels-last: with the NCHW network's
     * parameters, the NHWC one gives the same outputs and, after a step on the same batch, the same parameters (to
     * float rounding: oneDNN sums in another order). Their merges, shortcut adds and pooling follow the layout.
     */
    @ParameterizedTest(name = "{0} on {2}x{3}x{1}")
    @CsvSource({
        "resnet20, 1, 28, 28", "resnet18, 3, 32, 32", "resnet50, 3, 32, 32", "preact-resnet20, 1, 28, 28",
        "wrn-16-4, 1, 28, 28", "wrn-10-2-dropout, 1, 28, 28", "densenet-bc100, 1, 28, 28",
        "densenet-bc40-dropout, 3, 32, 32", "mobilenet, 3, 32, 32",
    })
    void channelsLastComputesTheSameFunctionAsChannelsFirst(String name, int channels, int height, int width) {
        ImageShape input = new ImageShape(channels, height, width);
        NeuralNetwork first = build(name, input, 7, false).build();
        NetworkSpec spec = build(name, input, 7, true);
        Architectures.requireChannelsLastSafe(spec);
        NeuralNetwork last = spec.build();
        assertTrue(layers(last).stream().anyMatch(ArchitecturesTest::channelsLast), "NHWC layers");
        assertEquals(Networks.numParams(last), summary(spec, input).totalParameters(), "the summary follows NHWC");
        assertFalse(layers(first).stream().anyMatch(ArchitecturesTest::channelsLast));
        ((org.deeplearning4j.nn.api.Model) last).setParams(first.params().dup());
        Nd4j.getRandom().setSeed(5);
        INDArray features = Nd4j.rand(new int[] {3, channels, height, width});
        INDArray labels = Nd4j.eye(7).getRows(0, 3, 6);

        assertArrayEquals(Networks.output(first, features).ravel().toFloatVector(),
                Networks.output(last, features).ravel().toFloatVector(), 1e-5f, "the same outputs");
        if (!name.contains("dropout")) {
            first.fit(new DataSet(features, labels));
            last.fit(new DataSet(features, labels));
            assertArrayEquals(first.params().toFloatVector(), last.params().toFloatVector(), 1e-4f,
                    "the same step");
        }
    }

    private static List<org.deeplearning4j.nn.api.Layer> layers(NeuralNetwork net) {
        return Arrays.asList(net instanceof MultiLayerNetwork m ? m.getLayers()
                : ((org.deeplearning4j.nn.graph.ComputationGraph) net).getLayers());
    }

    private static boolean channelsLast(org.deeplearning4j.nn.api.Layer layer) {
        return layer.conf().getLayer() instanceof ConvolutionLayer c && c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
    }

    /**
     * The networks that flatten convolutions into dense layers build and train channels-last too (their dense
     * layers read the flattened features in another order, so the same parameters are not the same function).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"lenet5, 1, 28, 28", "custom, 1, 28, 28"})
    void flatteningNetworksTrainChannelsLast(String name, int channels, int height, int width) {
        ImageShape input = new ImageShape(channels, height, width);
        NetworkSpec spec = build(name, input, 7, true);
        Architectures.requireChannelsLastSafe(spec);
        NeuralNetwork net = spec.build();
        assertTrue(layers(net).stream().anyMatch(ArchitecturesTest::channelsLast), "NHWC layers");
        assertEquals(Networks.numParams(build(name, input, 7, false).build()), Networks.numParams(net));
        INDArray features = Nd4j.rand(new int[] {2, channels, height, width});
        float[] before = net.params().toFloatVector();
        net.fit(new DataSet(features, Nd4j.eye(7).getRows(1, 2)));
        assertFalse(Arrays.equals(before, net.params().toFloatVector()));
        assertArrayEquals(new long[] {2, 7}, Networks.output(net, features).shape());
        assertEquals(Networks.numParams(net), summary(spec, input).totalParameters());
    }

    /**
     * A network whose convolutions apply their own ReLU is refused channels-last, naming the layer: DL4J's oneDNN
     * convolution gets its gradients wrong in that case (a conv-ReLU layer, NHWC against NCHW with the same
     * parameters: the same outputs, but parameters off by 0.4 after a step where the identity gives exactly the
     * same). The config refuses the same architectures before any job starts.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"alexnet, 3, 67, 67, alexnet", "vgg16, 3, 32, 32, vgg16", "googlenet, 3, 32, 32, googlenet",
        "convnetjs, 3, 32, 32, convnetjs"})
    void aNetworkWithActivatedConvolutionsIsRefusedChannelsLast(String name, int channels, int height, int width,
                                                               String word) {
        NetworkSpec spec = build(name, new ImageShape(channels, height, width), 7, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.requireChannelsLastSafe(spec));
        assertTrue(e.getMessage().startsWith("model.data-format: convolution '"), e.getMessage());
        assertFalse(io.sparkcnn.jobs.config.Architecture.valueOf(word.toUpperCase()).trainsChannelsLast());
    }

    /** The oneDNN fault itself, so that a DL4J upgrade that fixes it shows here (then the refusal can go). */
    @Test
    void dl4jsOneDnnConvolutionGetsAReluConvolutionsGradientWrongChannelsLast() throws ReflectiveOperationException {
        MultiLayerNetwork probe = new MultiLayerNetwork(LeNet5.configuration(new ImageShape(1, 28, 28), 10, HYPER));
        probe.init();
        java.lang.reflect.Field helper = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class
                .getDeclaredField("helper");
        helper.setAccessible(true);
        assertNotNull(helper.get(probe.getLayer(0)), "DL4J's oneDNN helpers are off in this JVM (NativeBackend.select"
                + " ran after ND4J loaded, or the CPU has no AVX2): this test needs them");
        assertTrue(oneConvStep(Activation.IDENTITY) == 0, "identity: the same gradients");
        assertFalse(oneConvStep(Activation.RELU) <= 1e-3, "ReLU: different gradients");
    }

    /** The largest difference between a conv-maxpool-average-softmax network's gradients NHWC and NCHW, same parameters. */
    private static double oneConvStep(Activation activation) {
        NeuralNetwork[] nets = new NeuralNetwork[2];
        for (int i = 0; i < 2; i++) {
            Hyper hyper = HYPER.withChannelsLast(i == 1);
            nets[i] = NetworkSpec.of(hyper.layout(hyper.base(org.deeplearning4j.nn.weights.WeightInit.XAVIER)
                    .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(activation).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(3, 3)
                            .stride(1, 1).build())
                    .layer(new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(
                            org.deeplearning4j.nn.conf.layers.PoolingType.AVG).build())
                    .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                            org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(9, 9, 2))).build()).build();
        }
        ((org.deeplearning4j.nn.api.Model) nets[1]).setParams(nets[0].params().dup());
        Nd4j.getRandom().setSeed(5);
        DataSet batch = new DataSet(Nd4j.rand(new int[] {3, 2, 9, 9}), Nd4j.eye(3));
        nets[0].fit(batch);
        nets[1].fit(batch);
        return nets[0].params().sub(nets[1].params()).amaxNumber().doubleValue();
    }

    @Test
    void theParameterCountsAgreeWithThePublishedOnes() {
        ImageShape imageNet = new ImageShape(3, 224, 224);
        assertEquals(138_357_544, summary(build("vgg16", imageNet, 1000), imageNet).totalParameters(), "VGG-16");
        assertEquals(143_667_240, summary(build("vgg19", imageNet, 1000), imageNet).totalParameters(), "VGG-19");
        // 25,557,032 trainable (He et al.; torchvision) + 53,120 batch-norm running means and variances, which
        // DL4J counts as parameters; our convolutions have no biases (batch norm's shift replaces them).
        assertEquals(25_557_032 + 53_120, summary(build("resnet50", imageNet, 1000), imageNet).totalParameters(),
                "ResNet-50");
        // 11,689,512 and 21,797,672 trainable in torchvision + running statistics.
        assertEquals(11_689_512 + 9_600, summary(build("resnet18", imageNet, 1000), imageNet).totalParameters());
        assertEquals(21_797_672 + 17_024, summary(build("resnet34", imageNet, 1000), imageNet).totalParameters());
        ImageShape alexInput = new ImageShape(3, 227, 227);
        ModelSummary alexNet = summary(build("alexnet", alexInput, 1000), alexInput);
        assertEquals(34_944, alexNet.row("conv1").parameters());
        assertEquals("55x55x96", alexNet.row("conv1").output().toString());
        assertEquals(62_378_344, alexNet.totalParameters(), "one-tower AlexNet");
        ImageShape cifar = new ImageShape(3, 32, 32);
        long resnet20 = summary(build("resnet20", cifar, 10), cifar).totalParameters();
        assertTrue(resnet20 > 270_000 && resnet20 < 280_000, "ResNet-20 has about 0.27 million: " + resnet20);
        long resnet56 = summary(build("resnet56", cifar, 10), cifar).totalParameters();
        assertTrue(resnet56 > 850_000 && resnet56 < 870_000, "ResNet-56 has about 0.85 million: " + resnet56);
        long mobileNet = summary(MobileNet.spec(imageNet, 1000, HYPER, 1.0), imageNet).totalParameters();
        // Keras's MobileNet: 4,231,976 trainable + 21,888 batch-norm running statistics.
        assertEquals(4_253_864, mobileNet, "MobileNet");
        long googLeNet = summary(build("googlenet", imageNet, 1000), imageNet).totalParameters();
        assertTrue(googLeNet > 6_500_000 && googLeNet < 7_100_000, "GoogLeNet about 7 million: " + googLeNet);
    }

    /**
     * The later networks of the CIFAR tables, counted for CIFAR-10 (32x32x3 input, 10 classes) as PyTorch counts
     * the reference implementations, {@code sum(p.numel() for p in model.parameters())}: convolution weights (none
     * of these networks has convolution biases), batch norm's gamma and beta, the classifier's weights and biases.
     * DL4J also stores batch norm's running mean and variance as parameters: the second number, 2 per normalised
     * channel. Each count is also what DL4J allocates when the graph is initialised (no training).
     */
    @Test
    void theLaterCifarNetworksHaveTheirReferenceParameterCounts() {
        ImageShape cifar10 = new ImageShape(3, 32, 32);
        // Zagoruyko and Komodakis 2016, table 3, and the PyTorch port of their code (xternalz/WideResNet-pytorch):
        // WRN-28-10 36.5 M = 36,479,194; WRN-16-4 2.7 M (table 4) = 2,748,890. 1x1 projection shortcuts where the
        // width changes, as in their code.
        assertParameters(36_479_194, 17_952, PreActResNet.wide(cifar10, 10, HYPER, 28, 10), cifar10, "WRN-28-10");
        assertParameters(2_748_890, 3_616, PreActResNet.wide(cifar10, 10, HYPER, 16, 4), cifar10, "WRN-16-4");
        assertParameters(8_949_210, 10_784, PreActResNet.wide(cifar10, 10, HYPER, 40, 4), cifar10, "WRN-40-4 8.9 M");
        // PreAct-ResNet-18 of the CIFAR tables (kuangliu/pytorch-cifar): 11,171,146, plus 1,024 for the final
        // BN-ReLU of He et al.'s own pre-activation code, which the port leaves out.
        assertParameters(11_171_146 + 1_024, 7_808, PreActResNet.eighteen(cifar10, 10, HYPER), cifar10,
                "PreAct-ResNet-18");
        // He et al. 2016b, table 3: ResNet-110 1.7 M with zero-padded identity shortcuts (option A, 1,727,962, as
        // the post-activation ResNet-110); ours project with 1x1 convolutions, 16x32 + 32x64 = 2,560 more weights.
        assertParameters(1_727_962 + 2_560, 8_096, PreActResNet.cifar(cifar10, 10, HYPER, 110), cifar10,
                "PreAct-ResNet-110");
        assertParameters(269_722 + 2_560, 1_376, PreActResNet.cifar(cifar10, 10, HYPER, 20), cifar10,
                "PreAct-ResNet-20 0.27 M");
        assertParameters(853_018 + 2_560, 4_064, PreActResNet.cifar(cifar10, 10, HYPER, 56), cifar10,
                "PreAct-ResNet-56 0.85 M");
        // Huang et al. 2017, table 2: DenseNet-BC (L = 100, k = 12) 0.8 M; the PyTorch reference
        // (andreasveit/densenet-pytorch) prints 769,162 for CIFAR-10.
        assertParameters(769_162, 23_988, DenseNet.bc(cifar10, 10, HYPER, 100, 12), cifar10, "DenseNet-BC-100");
    }

    private static void assertParameters(long trainable, long batchNormStatistics, NetworkSpec spec, ImageShape input,
                                         String name) {
        assertEquals(trainable + batchNormStatistics, summary(spec, input).totalParameters(), name + " (summary)");
        assertEquals(trainable + batchNormStatistics, Networks.numParams(spec.build()), name + " (DL4J)");
    }

    @Test
    void theDenseNetSummaryShowsTheChannelsEveryConcatenationAccumulates() {
        ImageShape fashion = new ImageShape(1, 28, 28);
        ModelSummary summary = summary(DenseNet.bc(fashion, 10, HYPER, 100, 12), fashion);

        // The stem's 2k = 24 maps, k = 12 more per bottleneck layer; each transition halves them and the map.
        assertEquals("28x28x36", summary.row("dense1_1_concat").output().toString());
        assertEquals("Concat", summary.row("dense1_1_concat").type());
        assertEquals(List.of("conv1", "dense1_1_conv2"), summary.row("dense1_1_concat").inputs());
        assertEquals("28x28x216", summary.row("dense1_16_concat").output().toString());
        assertEquals("28x28x108", summary.row("transition1_conv").output().toString());
        assertEquals("14x14x108", summary.row("transition1_pool").output().toString());
        assertEquals("14x14x300", summary.row("dense2_16_concat").output().toString());
        assertEquals("7x7x150", summary.row("transition2_pool").output().toString());
        assertEquals("7x7x342", summary.row("dense3_16_concat").output().toString());
        // A bottleneck layer normalises every map before it: the last one 150 + 15 x 12 = 330, 4 numbers each
        // (gamma, beta and DL4J's running mean and variance).
        assertEquals(4 * 330, summary.row("dense3_16_bn1").parameters());
        assertEquals(0, summary.row("dense3_16_concat").parameters());
        String line = summary.render().lines().filter(l -> l.contains("dense3_16_concat")).findFirst().orElseThrow();
        assertTrue(line.contains("Concat") && line.contains("dense3_15_concat,dense3_16_conv2")
                && line.contains("7x7x342"), line);
    }

    @Test
    void aWideResNetIsRefusedADepthThatIsNot6nPlus4() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreActResNet.wide(new ImageShape(3, 32, 32), 10, HYPER, 20, 4));
        assertTrue(e.getMessage().contains("model.depth") && e.getMessage().contains("6n+4"), e.getMessage());
    }

    @Test
    void aCustomPatternOutsideTheFormIsRefusedNamingTheForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvStack.parse("[(CONV-TANH)*2]*3-SOFTMAX", List.of(8), 3, 32, false));
        assertTrue(e.getMessage().contains("model.pattern") && e.getMessage().contains(ConvStack.FORM), e.getMessage());
        IllegalArgumentException filters = assertThrows(IllegalArgumentException.class,
                () -> ConvStack.parse("[(CONV-RELU)*2-POOL]*3-SOFTMAX", List.of(8, 16), 3, 32, false));
        assertTrue(filters.getMessage().contains("model.filters"), filters.getMessage());
    }
}
