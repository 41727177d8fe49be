package io.sparkcnn.jobs.architectures;

import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.Momentum;
import io.sparkcnn.workers.train.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/** Builds the network a job names, for the job's input shape and classes, with the job's optimiser. */
public final class Architectures {
    private Architectures() {}

    public static NetworkSpec build(JobConfig job, ImageShape input, int classes) {
        JobConfig.Model m = job.model();
        Hyper hyper = hyper(job);
        NetworkSpec spec = switch (m.architecture()) {
            case LENET5 -> LeNet5.spec(input, classes, hyper);
            case ALEXNET -> AlexNet.spec(input, classes, hyper);
            case VGG16 -> Vgg.spec(input, classes, hyper, 16);
            case VGG19 -> Vgg.spec(input, classes, hyper, 19);
            case GOOGLENET -> GoogLeNet.spec(input, classes, hyper);
            case RESNET18 -> ResNet.imageNet(input, classes, hyper, 18);
            case RESNET34 -> ResNet.imageNet(input, classes, hyper, 34);
            case RESNET50 -> ResNet.imageNet(input, classes, hyper, 50);
            case RESNET20 -> ResNet.cifar(input, classes, hyper, 20);
            case RESNET56 -> ResNet.cifar(input, classes, hyper, 56);
            case PREACT_RESNET18 -> PreActResNet.eighteen(input, classes, hyper);
            case PREACT_RESNET20 -> PreActResNet.cifar(input, classes, hyper, 20);
            case PREACT_RESNET56 -> PreActResNet.cifar(input, classes, hyper, 56);
            case PREACT_RESNET110 -> PreActResNet.cifar(input, classes, hyper, 110);
            case WRN -> PreActResNet.wide(input, classes, hyper, m.depth(), m.widenFactor());
            case DENSENET_BC100 -> DenseNet.bc(input, classes, hyper, 100, 12);
            case MOBILENET -> MobileNet.spec(input, classes, hyper, m.widthMultiplier());
            case CONVNETJS -> ConvStack.convNetJs().spec(input, classes, hyper);
            case CUSTOM -> ConvStack.parse(m.pattern(), m.filters(), m.kernel(), m.fcUnits(), m.batchNorm())
                    .spec(input, classes, hyper);
        };
        if (hyper.channelsLast()) {
            requireChannelsLastSafe(spec);
        }
        return spec;
    }

    /**
     * DL4J 1.0.0-M2's oneDNN convolution computes wrong weight and bias gradients channels-last when the
     * convolution applies an activation of its own (measured: with an identity activation, or without the oneDNN
     * helpers, the NHWC step equals the NCHW one exactly; with a ReLU it does not), so a channels-last network may
     * only have convolutions whose activation is the identity, followed by batch norm or an activation layer.
     * {@link io.sparkcnn.jobs.config.Architecture#trainsChannelsLast()} names the architectures built that way;
     * this check keeps a network from training wrong if one changes.
     */
    static void requireChannelsLastSafe(NetworkSpec spec) {
        List<org.deeplearning4j.nn.conf.layers.Layer> layers = new ArrayList<>();
        if (spec.graph()) {
            ComputationGraphConfiguration.fromJson(spec.json()).getVertices().values().forEach(v -> {
                if (v instanceof LayerVertex l) {
                    layers.add(l.getLayerConf().getLayer());
                }
            });
        } else {
            MultiLayerConfiguration.fromJson(spec.json()).getConfs().forEach(c -> layers.add(c.getLayer()));
        }
        for (org.deeplearning4j.nn.conf.layers.Layer layer : layers) {
            if (layer instanceof ConvolutionLayer c && !(c.getActivationFn() instanceof ActivationIdentity)) {
                throw new IllegalArgumentException("model.data-format: convolution '" + c.getLayerName()
                        + "' has its own activation (" + c.getActivationFn() + "), which DL4J's oneDNN convolution"
                        + " gets wrong gradients for channels-last; use model.data-format = NCHW.");
            }
        }
    }

    public static Hyper hyper(JobConfig job) {
        JobConfig.Training t = job.training();
        return new Hyper(job.seed(), updater(job), t.l1(), t.l2(), t.weightDecay(), job.model().dropout(),
                t.gradientClip(), job.model().channelsLast());
    }

    public static IUpdater updater(JobConfig job) {
        JobConfig.Training t = job.training();
        double lr = t.learningRate();
        return switch (t.updater()) {
            case SGD -> new Sgd(lr);
            case MOMENTUM -> new Momentum(lr, t.momentum());
            case NESTEROV -> new Nesterovs(lr, t.momentum());
            // AdamW's decoupled decay comes from Hyper's weight decay, which the config requires for adamw.
            case ADAM, ADAMW -> new Adam(lr);
            case RMSPROP -> new RmsProp(lr);
            case ADAGRAD -> new AdaGrad(lr);
            // ConvNetJS's defaults: rho 0.95, epsilon 1e-6.
            case ADADELTA -> new AdaDelta(0.95, 1e-6);
        };
    }
}
