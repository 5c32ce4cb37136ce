package dev.ringzero.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringzero.api.CFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DbgPrintPatternTest {

    @Test
    void shouldMatchALineWithoutConversionsExactly() {
        assertEquals(Optional.of(List.of()), DbgPrintPattern.of("a.b (c) [d]*").match("a.b (c) [d]*"));
        assertTrue(DbgPrintPattern.of("a.b").match("axb").isEmpty());
        assertTrue(DbgPrintPattern.of("abc").match("abcd").isEmpty());
    }

    @Test
    void shouldCaptureWhatEachConversionPrinted() {
        assertEquals(Optional.of(List.of("80000010", "7")),
                DbgPrintPattern.of("+ block at %08X, entry #%d").match("+ block at 80000010, entry #7"));
        assertEquals(Optional.of(List.of("100%")), DbgPrintPattern.of("%s %%").match("100% %"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "%08X   | 0x1F        | 0000001F  ",
            "%08X   | 0xC0000010  | C0000010  ",
            "%x     | 255         | ff        ",
            "%#x    | 255         | 0xff      ",
            "%5d    | -42         | -42       ",
            "%u     | 7           | 7         ",
            "%o     | 8           | 10        ",
            "%p     | 0x80000010  | 80000010  ",
            "%lu    | 12          | 12        ",
            "%I64d  | 123         | 123       ",
            "%c     | 65          | A         ",
    })
    void shouldMatchWhatDbgPrintPrintsForTheSameFormat(String format, String argument, String captured) {
        Object arg = format.endsWith("c") ? (Object) (char) Integer.parseInt(argument)
                : argument.startsWith("0x") ? Long.decode(argument) : Long.parseLong(argument);
        String printed = CFormat.sprintf(format, arg);
        assertEquals(Optional.of(List.of(captured)), DbgPrintPattern.of(format).match(printed),
                () -> format + " printed <" + printed + "> as " + DbgPrintPattern.toRegex(format));
    }

    @Test
    void shouldAllowThePaddingOfAWidth() {
        assertEquals(Optional.of(List.of("42")), DbgPrintPattern.of("[%-5d]").match("[42   ]"));
        assertEquals(Optional.of(List.of("42")), DbgPrintPattern.of("[%5d]").match("[   42]"));
        assertEquals(Optional.of(List.of("ab")), DbgPrintPattern.of("[%*s]").match("[  ab]"));
    }

    @Test
    void shouldNotMatchTooFewDigitsForAZeroPaddedWidth() {
        assertTrue(DbgPrintPattern.of("%08X").match("1F").isEmpty());
        assertTrue(DbgPrintPattern.of("%X").match("1f").isEmpty());
    }
}
