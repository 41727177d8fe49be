package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.params.DidYouMean;
import io.sparkcnn.workers.params.Param;
import io.sparkcnn.workers.params.ParamList;
import io.sparkcnn.workers.params.ParamReader;
import io.sparkcnn.workers.params.ParamType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds augmentations and preprocessing from configuration maps (Typesafe Config's {@code unwrapped()} values),
 * such as {@code {type = "translate", p = 1.0, max-x = 2, max-y = 2, fill = "edge"}}, and lists every type with
 * its keys, defaults and docs for the help screen. Anything unknown or invalid fails before any work starts.
 */
public final class AugmentRegistry {
    /** One augmentation type: its configuration name, doc, keys and how to build it from read values. */
    private record Type(String name, String doc, List<Param<?>> params, Function<ParamReader, Augmentation> build) {}

    private static final List<Type> TYPES = List.of(
            new Type("hflip", "mirror left to right", List.of(p(0.5)), r -> new HorizontalFlip(r.number("p"))),
            new Type("vflip", "mirror top to bottom", List.of(p(0.5)), r -> new VerticalFlip(r.number("p"))),
            new Type("rotate", "rotate about the centre by a uniform angle (bilinear, OpenCV)",
                    geometric(
                            Param.number("min-degrees", -15, "smallest angle, degrees, positive is counter-clockwise"),
                            Param.number("max-degrees", 15, "largest angle, degrees")),
                    r -> new Rotate(r.number("p"), r.number("min-degrees"), r.number("max-degrees"), fill(r))),
            new Type("rotate90", "rotate by a whole number of quarter turns, exactly (odd turns swap height and width)",
                    List.of(p(1.0), Param.ints("turns", List.of(0, 1, 2, 3),
                            "counter-clockwise quarter-turn counts (0..3) to draw from uniformly")),
                    r -> new Rotate90(r.number("p"), r.ints("turns"))),
            new Type("translate", "shift by whole pixels drawn uniformly in -max..max (ConvNetJS CIFAR-10: 2)",
                    geometric(Param.integer("max-x", 2, "largest horizontal shift, pixels"),
                            Param.integer("max-y", 2, "largest vertical shift, pixels")),
                    r -> new Translate(r.number("p"), r.integer("max-x"), r.integer("max-y"), fill(r))),
            new Type("zoom", "scale about the centre by a uniform factor, keeping the size (above 1 zooms in)",
                    geometric(Param.number("min", 0.9, "smallest scale factor"),
                            Param.number("max", 1.1, "largest scale factor")),
                    r -> new Zoom(r.number("p"), r.number("min"), r.number("max"), fill(r))),
            new Type("shear", "shear horizontally about the centre row by a uniform angle",
                    geometric(Param.number("min-degrees", -10, "smallest shear angle, degrees"),
                            Param.number("max-degrees", 10, "largest shear angle, degrees")),
                    r -> new Shear(r.number("p"), r.number("min-degrees"), r.number("max-degrees"), fill(r))),
            new Type("pad-crop", "pad every side, then crop height x width at a uniform position (CIFAR style)",
                    geometric(Param.integer("padding", 4, "pixels added on each side"),
                            Param.integer("height", 0, "crop height; 0 keeps the input height"),
                            Param.integer("width", 0, "crop width; 0 keeps the input width")),
                    r -> new PadCrop(r.number("p"), r.integer("padding"), r.integer("height"), r.integer("width"),
                            fill(r))),
            new Type("random-resized-crop", "crop a random area and aspect ratio, resize to height x width "
                    + "(Inception / torchvision)",
                    List.of(p(1.0), Param.integer("height", 0, "output height; 0 (with width 0): the image's own, which is"
                                    + " the network's input"),
                            Param.integer("width", 0, "output width; 0 (with height 0): the image's own"),
                            Param.number("min-scale", 0.08, "smallest fraction of the image area"),
                            Param.number("max-scale", 1.0, "largest fraction of the image area"),
                            Param.number("min-ratio", 3.0 / 4, "smallest aspect ratio, width / height"),
                            Param.number("max-ratio", 4.0 / 3, "largest aspect ratio, width / height"),
                            Param.integer("attempts", 10, "windows tried before the centre crop is taken")),
                    r -> new RandomResizedCrop(r.number("p"), r.integer("height"), r.integer("width"),
                            r.number("min-scale"), r.number("max-scale"), r.number("min-ratio"),
                            r.number("max-ratio"), r.integer("attempts"))),
            new Type("noise", "add Gaussian noise to every value, clamped to 0..255",
                    List.of(p(1.0), Param.number("sigma", 8, "standard deviation on the 0..255 scale")),
                    r -> new GaussianNoise(r.number("p"), r.number("sigma"))),
            new Type("color-jitter", "brightness, contrast, saturation factors drawn in [1 - a, 1 + a]",
                    List.of(p(1.0), Param.number("brightness", 0.4, "a for brightness, 0..1; 0 leaves it out"),
                            Param.number("contrast", 0.4, "a for contrast, 0..1; 0 leaves it out"),
                            Param.number("saturation", 0.4, "a for saturation, 0..1; 0 leaves it out (needed for "
                                    + "1-channel images)")),
                    r -> new ColorJitter(r.number("p"), r.number("brightness"), r.number("contrast"),
                            r.number("saturation"))),
            new Type("pca-lighting", "AlexNet PCA colour noise along the RGB eigenvectors (3-channel images only)",
                    List.of(p(1.0), Param.number("alphastd", 0.1, "standard deviation of the eigenvector weights"),
                            Param.numbers("eigenvalues", PcaLighting.IMAGENET_EIGENVALUES,
                                    "RGB covariance eigenvalues of 0..1 pixels (ImageNet)"),
                            Param.matrix("eigenvectors", PcaLighting.IMAGENET_EIGENVECTORS,
                                    "rows R, G, B; column j is eigenvector j (ImageNet)")),
                    r -> new PcaLighting(r.number("p"), r.number("alphastd"), r.numbers("eigenvalues"),
                            r.matrix("eigenvectors"))),
            new Type("elastic", "Simard et al. 2003 elastic distortion: smoothed random displacement field",
                    geometric(Param.number("alpha", 34, "displacement scale, pixels; 0 is the identity"),
                            Param.number("sigma", 4, "Gaussian smoothing of the field, pixels")),
                    r -> new Elastic(r.number("p"), r.number("alpha"), r.number("sigma"), fill(r))),
            new Type("cutout", "overwrite rectangles (cutout / random erasing) with a value or noise",
                    List.of(p(1.0), Param.integer("count", 1, "rectangles per image"),
                            Param.integer("height", 0, "rectangle height; 0 (with width 0) draws an area instead"),
                            Param.integer("width", 0, "rectangle width; 0 (with height 0) draws an area instead"),
                            Param.number("min-area", 0.02, "smallest fraction of the image area"),
                            Param.number("max-area", 0.33, "largest fraction of the image area"),
                            Param.number("min-ratio", 0.3, "smallest aspect ratio, width / height"),
                            Param.number("max-ratio", 3.3, "largest aspect ratio, width / height"),
                            Param.choice("fill", Cutout.Content.CONSTANT, "what the rectangles hold"),
                            Param.number("fill-value", 0, "the constant, 0..255 scale")),
                    r -> new Cutout(r.number("p"), r.integer("count"), r.integer("height"), r.integer("width"),
                            r.number("min-area"), r.number("max-area"), r.number("min-ratio"), r.number("max-ratio"),
                            r.choice("fill", Cutout.Content.class) == Cutout.Content.NOISE, (float) r.number("fill-value"))));

    private static final List<Param<?>> PREPROCESS = List.of(
            Param.integer("shorter-side", 0, "resize so that the shorter side has this length; 0 leaves it out"),
            Param.integer("crop-height", 0, "centre crop height after that; 0 (with crop-width 0) leaves it out"),
            Param.integer("crop-width", 0, "centre crop width"),
            Param.integer("height", 0, "finally resize to exactly this height; 0 (with width 0) leaves it out"),
            Param.integer("width", 0, "finally resize to exactly this width"),
            Param.choice("normalize", Preprocess.Normalize.SCALE, "scale: x / 255; standardize: (x - mean) / std;"
                    + " none", Preprocess.Normalize.SCALE, Preprocess.Normalize.STANDARDIZE, Preprocess.Normalize.NONE),
            Param.numbers("mean", Preprocess.IMAGENET_MEAN, "per-channel mean on the 0..255 scale (ImageNet RGB)"),
            Param.numbers("std", Preprocess.IMAGENET_STD, "per-channel std on the 0..255 scale (ImageNet RGB)"));

    private AugmentRegistry() {}

    /** The pipeline of a configuration list; positions in messages are {@code augment[i]}. */
    public static AugmentPipeline pipeline(List<?> specs) {
        List<Augmentation> steps = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Object spec = specs.get(i);
            if (!(spec instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("augment[" + i + "]: expected an object like {type = \"hflip\", "
                        + "p = 0.5}, not " + ParamType.show(spec));
            }
            steps.add(augmentation(stringKeys(map, i), i));
        }
        return new AugmentPipeline(steps);
    }

    /** One augmentation from its configuration object at {@code position} of the augment list. */
    public static Augmentation augmentation(Map<String, ?> spec, int position) {
        String where = "augment[" + position + "]";
        Object name = spec.get("type");
        if (name == null) {
            throw new IllegalArgumentException(where + ": no \"type\" key; the types are " + String.join(", ", types()));
        }
        Type type = TYPES.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(where + ": unknown type " + ParamType.show(name)
                        + suggestion(String.valueOf(name), types()) + "; the types are "
                        + String.join(", ", types())));
        return build(where + " (type \"" + type.name() + "\")", spec, r -> type.build().apply(r), type.params());
    }

    public static Preprocess preprocess(Map<String, ?> spec) {
        return build("preprocess", spec, r -> new Preprocess(r.integer("shorter-side"), r.integer("crop-height"),
                r.integer("crop-width"), r.integer("height"), r.integer("width"),
                r.choice("normalize", Preprocess.Normalize.class),
                r.numbers("mean"), r.numbers("std")), PREPROCESS);
    }

    /** The configuration name of a built step ("random-resized-crop"), for messages. */
    public static String typeName(Augmentation step) {
        return NAMES_BY_CLASS.getOrDefault(step.getClass(), step.getClass().getSimpleName());
    }

    /** Each type's class, found by building its defaults once. */
    private static final Map<Class<?>, String> NAMES_BY_CLASS = TYPES.stream().collect(
            java.util.stream.Collectors.toMap(t -> augmentation(Map.of("type", t.name()), 0).getClass(), Type::name));

    public static List<String> types() {
        return TYPES.stream().map(Type::name).toList();
    }

    public static String doc(String type) {
        return find(type).doc();
    }

    public static List<Param<?>> params(String type) {
        return find(type).params();
    }

    public static List<Param<?>> preprocessParams() {
        return PREPROCESS;
    }

    /** Every preprocessing key and augmentation type with its keys, defaults and docs, for --help-config. */
    public static String help() {
        StringBuilder out = new StringBuilder("preprocess {\n");
        PREPROCESS.forEach(p -> out.append("    ").append(p).append('\n'));
        out.append("}\naugment = [ {type = ...}, ... ], applied in order, each with probability p:\n");
        for (Type t : TYPES) {
            out.append("  type = \"").append(t.name()).append("\": ").append(t.doc()).append('\n');
            t.params().forEach(p -> out.append("    ").append(p).append('\n'));
        }
        return out.toString();
    }

    private static <T> T build(String where, Map<String, ?> spec, Function<ParamReader, T> build,
                               List<Param<?>> params) {
        ParamReader reader = new ParamReader(where, spec, new ParamList(params), where.startsWith("augment")
                ? List.of("type") : List.of());
        try {
            return build.apply(reader);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(where)) {
                throw e;
            }
            throw new IllegalArgumentException(where + ": " + e.getMessage() + " (given " + spec + ")", e);
        }
    }

    private static Type find(String type) {
        return TYPES.stream().filter(t -> t.name().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown augmentation type \"" + type + "\""
                        + suggestion(type, types()) + "; the types are " + String.join(", ", types())));
    }

    /** " (did you mean "x"?)" for the type nearest to a misspelt one, by the one rule. */
    private static String suggestion(String given, List<String> known) {
        return DidYouMean.nearest(given, known).map(k -> " (did you mean \"" + k + "\"?)").orElse("");
    }

    /** The {@code fill} and {@code fill-value} keys of the geometric transforms. */
    private static Fill fill(ParamReader r) {
        return new Fill(r.choice("fill", Fill.Mode.class), (float) r.number("fill-value"));
    }

    private static Param<Double> p(double defaultValue) {
        return Param.number("p", defaultValue, "probability that the step is applied to an image");
    }

    /** The keys of a geometric transform: p, its own, then how to fill pixels that have no source. */
    private static List<Param<?>> geometric(Param<?>... own) {
        List<Param<?>> params = new ArrayList<>();
        params.add(p(1.0));
        params.addAll(List.of(own));
        params.add(Param.choice("fill", Fill.Mode.REFLECT, "pixels without a source: reflect (mirror, no false"
                + " edge), edge (repeat the border), constant", Fill.Mode.REFLECT, Fill.Mode.EDGE, Fill.Mode.CONSTANT));
        params.add(Param.number("fill-value", 0, "the value for fill = constant, 0..255 scale"));
        return params;
    }

    private static Map<String, ?> stringKeys(Map<?, ?> map, int position) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("augment[" + position + "]: keys must be strings, not " + key);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) map;
        return typed;
    }
}
