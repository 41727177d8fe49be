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
            case "lenet5" -> LeNet5.spec(input, classes, hyper, m.channelsLast());
            case "alexnet" -> AlexNet.spec(input, classes, hyper);
            case "vgg16" -> Vgg.spec(input, classes, hyper, 16);
            case "vgg19" -> Vgg.spec(input, classes, hyper, 19);
            case "googlenet" -> GoogLeNet.spec(input, classes, hyper);
            case "resnet18" -> ResNet.imageNet(input, classes, hyper, 18);
            case "resnet34" -> ResNet.imageNet(input, classes, hyper, 34);
            case "resnet50" -> ResNet.imageNet(input, classes, hyper, 50);
            case "resnet20" -> ResNet.cifar(input, classes, hyper, 20);
            case "resnet56" -> ResNet.cifar(input, classes, hyper, 56);
            case "mobilenet" -> MobileNet.spec(input, classes, hyper, m.widthMultiplier());
            case "convnetjs" -> ConvStack.convNetJs().spec(input, classes, hyper);
            case "custom" -> ConvStack.parse(m.pattern(), m.filters(), m.kernel(), m.fcUnits(), m.batchNorm())
                    .spec(input, classes, hyper);
            default -> throw new IllegalArgumentException("model.architecture: unknown '" + m.architecture()
                    + "'; one of " + JobConfig.ARCHITECTURES);
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
            case "sgd" -> new Sgd(lr);
            case "momentum" -> new Momentum(lr, t.momentum());
            case "nesterov" -> new Nesterovs(lr, t.momentum());
            // AdamW's decoupled decay comes from Hyper's weight decay, which the config requires for adamw.
            case "adam", "adamw" -> new Adam(lr);
            case "rmsprop" -> new RmsProp(lr);
            case "adagrad" -> new AdaGrad(lr);
            // ConvNetJS's defaults: rho 0.95, epsilon 1e-6.
            case "adadelta" -> new AdaDelta(0.95, 1e-6);
            default -> throw new IllegalArgumentException("training.updater: unknown '" + t.updater() + "'");
        };
    }
}
