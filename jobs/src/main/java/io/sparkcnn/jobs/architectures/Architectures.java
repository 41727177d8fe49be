package io.sparkcnn.jobs.architectures;

import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.Momentum;
import io.sparkcnn.workers.train.NetworkSpec;
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
        return switch (m.architecture()) {
            case LENET5 -> LeNet5.spec(input, classes, hyper, m.channelsLast());
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
    }

    public static Hyper hyper(JobConfig job) {
        JobConfig.Training t = job.training();
        return new Hyper(job.seed(), updater(job), t.l1(), t.l2(), t.weightDecay(), job.model().dropout(),
                t.gradientClip());
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
