package io.sparkcnn.workers.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AugmentRegistryTest {
    @Test
    void buildsTheDocumentedExamples() {
        AugmentPipeline pipeline = AugmentRegistry.pipeline(List.of(
                Map.of("type", "translate", "p", 1.0, "max-x", 2, "max-y", 2, "fill", "edge"),
                Map.of("type", "hflip", "p", 0.5)));

        assertEquals(AugmentPipeline.of(new Translate(1, 2, 2, Fill.edge()), new HorizontalFlip(0.5)), pipeline);
    }

    @Test
    void missingKeysTakeTheirDefaults() {
        assertEquals(new HorizontalFlip(0.5), AugmentRegistry.augmentation(Map.of("type", "hflip"), 0));
        assertEquals(new Rotate(1, -15, 15, Fill.reflect()), AugmentRegistry.augmentation(Map.of("type", "rotate"), 0));
        assertEquals(new PcaLighting(1, 0.1, PcaLighting.IMAGENET_EIGENVALUES, PcaLighting.IMAGENET_EIGENVECTORS),
                AugmentRegistry.augmentation(Map.of("type", "pca-lighting"), 0));
        assertEquals(new Cutout(1, 1, 0, 0, 0.02, 0.33, 0.3, 3.3, false, 0),
                AugmentRegistry.augmentation(Map.of("type", "cutout"), 0));
    }

    @Test
    void numbersMayComeAsLongsWholeDoublesOrStrings() {
        Augmentation a = AugmentRegistry.augmentation(Map.of("type", "translate", "max-x", 3L, "max-y", 1.0,
                "p", "0.25", "fill", "Constant", "fill-value", 128), 0);

        assertEquals(new Translate(0.25, 3, 1, Fill.constant(128)), a);
    }

    @Test
    void listsAndMatricesAreRead() {
        Augmentation a = AugmentRegistry.augmentation(Map.of("type", "pca-lighting", "eigenvalues", List.of(1, 2, 3),
                "eigenvectors", List.of(List.of(1, 0, 0), List.of(0, 1, 0), List.of(0, 0, 1))), 0);

        assertEquals(List.of(1.0, 2.0, 3.0), ((PcaLighting) a).eigenvalues());
        assertEquals(List.of(0.0, 1.0, 0.0), ((PcaLighting) a).eigenvectors().get(1));
    }

    @Test
    void anUnknownTypeNamesThePositionAndSuggestsTheNearestType() {
        String message = error(List.of(Map.of("type", "hflip"), Map.of("type", "hflp", "p", 0.5)));

        assertContains(message, "augment[1]", "\"hflp\"", "did you mean \"hflip\"", "random-resized-crop");
    }

    @Test
    void anUnknownKeyNamesPositionTypeKeyValueAndTheKnownKeys() {
        String message = error(List.of(Map.of("type", "translate", "max_x", 2)));

        assertContains(message, "augment[0]", "type \"translate\"", "unknown key \"max_x\" = 2",
                "did you mean \"max-x\"", "max-y", "fill-value");
    }

    @Test
    void aBadlyTypedValueNamesTheKeyTheValueAndWhatIsAllowed() {
        String message = error(List.of(Map.of("type", "hflip"), Map.of("type", "hflip"),
                Map.of("type", "translate", "max-x", "two")));

        assertContains(message, "augment[2]", "translate", "key \"max-x\" = \"two\"", "a whole number");
        assertContains(error(List.of(Map.of("type", "translate", "max-y", 1.5))), "\"max-y\" = 1.5", "whole number");
    }

    @Test
    void anOutOfRangeValueNamesTheKeyTheValueAndTheRange() {
        assertContains(error(List.of(Map.of("type", "rotate", "p", 1.5))), "augment[0]", "rotate", "p must be in 0.0..1.0",
                "not 1.5");
        assertContains(error(List.of(Map.of("type", "translate", "max-x", -1))), "max-x must be at least 0, not -1");
        assertContains(error(List.of(Map.of("type", "zoom", "min", 1.2, "max", 0.8))), "zoom", "min (1.2)",
                "max (0.8)");
    }

    @Test
    void aBadChoiceListsTheAllowedWords() {
        assertContains(error(List.of(Map.of("type", "shear", "fill", "reflct"))), "augment[0]", "shear",
                "key \"fill\" = \"reflct\"", "one of reflect, edge, constant", "did you mean \"reflect\"");
        assertContains(error(List.of(Map.of("type", "cutout", "fill", "edge"))), "cutout", "one of constant, noise");
    }

    @Test
    void aMissingTypeOrANonObjectEntryIsNamed() {
        assertContains(error(List.of(Map.of("p", 0.5))), "augment[0]", "no \"type\" key", "hflip");
        assertContains(error(List.of(Map.of("type", "hflip"), "vflip")), "augment[1]", "expected an object",
                "\"vflip\"");
    }

    @Test
    void theHelpListsEveryTypeAndEveryKeyWithItsDefault() {
        String help = AugmentRegistry.help();

        for (String type : AugmentRegistry.types()) {
            assertTrue(help.contains("type = \"" + type + "\": " + AugmentRegistry.doc(type)), type);
            for (io.sparkcnn.workers.params.Param<?> p : AugmentRegistry.params(type)) {
                assertTrue(p.doc().length() > 5, type + "." + p.key() + " has a doc");
                assertTrue(help.contains(p.toString()), type + "." + p.key());
            }
        }
        assertContains(help, "max-x = 2", "fill = \"reflect\"", "shorter-side = 0", "alphastd = 0.1");
        assertEquals(14, AugmentRegistry.types().size());
    }

    @Test
    void everyDefaultBuilds() {
        for (String type : AugmentRegistry.types()) {
            assertEquals(type, AugmentRegistry.types().get(AugmentRegistry.types().indexOf(type)));
            AugmentRegistry.augmentation(Map.of("type", type), 0);
        }
        assertEquals(new Preprocess(0, 0, 0, 0, 0, Preprocess.Normalize.SCALE, Preprocess.IMAGENET_MEAN,
                Preprocess.IMAGENET_STD), AugmentRegistry.preprocess(Map.of()));
    }

    @Test
    void preprocessingIsReadAndCheckedTheSameWay() {
        Preprocess p = AugmentRegistry.preprocess(Map.of("shorter-side", 256, "crop-height", 224, "crop-width", 224,
                "normalize", "standardize"));
        assertEquals(Preprocess.evaluation(256, 224, Preprocess.Normalize.STANDARDIZE), p);

        assertContains(error(() -> AugmentRegistry.preprocess(Map.of("shorter_side", 256))), "preprocess",
                "unknown key \"shorter_side\"", "did you mean \"shorter-side\"");
        assertContains(error(() -> AugmentRegistry.preprocess(Map.of("normalize", "standardise"))),
                "\"normalize\" = \"standardise\"", "did you mean \"standardize\"");
        assertContains(error(() -> AugmentRegistry.preprocess(Map.of("normalize", "standardize", "mean",
                List.of(0.485, 0.456, 0.406), "std", List.of(0.229, 0.224, 0.225)))), "preprocess", "multiply them by 255");
    }

    private static String error(List<?> specs) {
        return error(() -> AugmentRegistry.pipeline(specs));
    }

    private static String error(org.junit.jupiter.api.function.Executable parse) {
        return assertThrows(IllegalArgumentException.class, parse).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "\"" + part + "\" in: " + message);
        }
    }
}
