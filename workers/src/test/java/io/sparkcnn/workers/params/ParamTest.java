package io.sparkcnn.workers.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a declaration gives its users (the readers, the help, a Spark ML Param built from it). */
class ParamTest {
    enum Colour implements ParamChoice { DARK_RED, BLUE }

    private static final Param<Integer> WORKERS = Param.integer("training.workers", 2, "Workers.",
            ParamValidators.gtEq(1));
    private static final Param<Colour> COLOUR = Param.choice("colour", Colour.BLUE, "A colour.");

    @Test
    void aDeclarationHasItsKeyDocDefaultAndRules() {
        assertEquals("training.workers", WORKERS.key());
        assertEquals("Workers.", WORKERS.doc());
        assertEquals(2, WORKERS.defaultValue());
        assertEquals("a whole number, at least 1", WORKERS.allowed());
        assertEquals("training.workers = 2  (a whole number, at least 1) Workers.", WORKERS.toString());
    }

    @Test
    void validateNamesTheKeyTheRuleAndTheValue() {
        assertEquals(3, WORKERS.validate(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WORKERS.validate(0));
        assertEquals("training.workers must be at least 1, not 0", e.getMessage());
        assertEquals(Optional.of("must be at least 1"), WORKERS.problem(0));
    }

    @Test
    void valuesAreReadFromConfigurationValuesOrText() {
        assertEquals(4, WORKERS.read(4));
        assertEquals(4, WORKERS.read("4"));
        assertEquals(4, WORKERS.read(4.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WORKERS.read("four"));
        assertTrue(e.getMessage().contains("\"training.workers\" = \"four\"")
                && e.getMessage().contains("a whole number is needed"), e.getMessage());
        assertEquals(List.of(1.0, 2.5), ParamType.NUMBERS.read(List.of(1, "2.5")));
    }

    @Test
    void choicesAreEnumsSpeltAsWordsWithOneDidYouMeanRule() {
        assertEquals(Colour.DARK_RED, COLOUR.read("dark-red"));
        assertEquals("dark-red", Colour.DARK_RED.word());
        assertEquals("blue", COLOUR.defaultWritten());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> COLOUR.read("dark-rd"));
        assertTrue(e.getMessage().contains("one of dark-red, blue (did you mean \"dark-red\"?)"), e.getMessage());
        assertEquals(Optional.empty(), DidYouMean.nearest("green", List.of("dark-red", "blue")));
    }

    @Test
    void aReaderRefusesAnUnknownKeyAndFillsInDefaults() {
        ParamList params = new ParamList(List.of(WORKERS, COLOUR));
        assertEquals(2, new ParamReader("job", Map.of(), params, List.of()).get(WORKERS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParamReader("job", Map.of("colur", "blue"), params, List.of()));
        assertTrue(e.getMessage().startsWith("job: unknown key \"colur\"")
                && e.getMessage().contains("did you mean \"colour\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ParamList(List.of(WORKERS, WORKERS)));
    }
}
