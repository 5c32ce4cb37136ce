package dev.ringzero.api;

import static dev.ringzero.api.CFormat.sprintf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CFormatTest {

    @Test
    void shouldPrintAddressesAsEightUpperCaseHexDigits() {
        assertThat(sprintf("at address %08X\n", 0x80001010)).isEqualTo("at address 80001010\n");
        assertThat(sprintf("%08X", 0x10)).isEqualTo("00000010");
        assertThat(sprintf("%p", 0xC0000020)).isEqualTo("C0000020");
        assertThat(sprintf("%x", 0xABCDEF)).isEqualTo("abcdef");
        assertThat(sprintf("%#x", 255)).isEqualTo("0xff");
    }

    @Test
    void shouldTreatIntegerConversionsAs32BitLikeX86() {
        assertThat(sprintf("%d", -1)).isEqualTo("-1");
        assertThat(sprintf("%u", -1)).isEqualTo("4294967295");
        assertThat(sprintf("%X", -1L)).isEqualTo("FFFFFFFF");
        assertThat(sprintf("%d", 0x1_0000_0005L)).isEqualTo("5");
        assertThat(sprintf("%I64X", 0x1_0000_0005L)).isEqualTo("100000005");
        assertThat(sprintf("%lld", -5_000_000_000L)).isEqualTo("-5000000000");
    }

    @Test
    void shouldHonourWidthFlagsAndPrecision() {
        assertThat(sprintf("[%5d]", 42)).isEqualTo("[   42]");
        assertThat(sprintf("[%-5d]", 42)).isEqualTo("[42   ]");
        assertThat(sprintf("[%05d]", -42)).isEqualTo("[-0042]");
        assertThat(sprintf("[%+d]", 42)).isEqualTo("[+42]");
        assertThat(sprintf("[%.3d]", 7)).isEqualTo("[007]");
        assertThat(sprintf("[%*d]", 4, 7)).isEqualTo("[   7]");
        assertThat(sprintf("[%.2s]", "abc")).isEqualTo("[ab]");
        assertThat(sprintf("[%-4s]", "ab")).isEqualTo("[ab  ]");
    }

    @Test
    void shouldFormatCharactersStringsAndPercent() {
        assertThat(sprintf("%c%c", 'o', (int) 'k')).isEqualTo("ok");
        assertThat(sprintf("%s and %s", "this", null)).isEqualTo("this and (null)");
        assertThat(sprintf("100%%")).isEqualTo("100%");
        assertThat(sprintf("Entry #%d added\n", 3)).isEqualTo("Entry #3 added\n");
    }

    @Test
    void shouldNeverThrowOnBadFormats() {
        assertThat(sprintf("%d and %d", 1)).isEqualTo("1 and (missing)");
        assertThat(sprintf("%q")).isEqualTo("%q");
        assertThat(sprintf("trailing %")).isEqualTo("trailing %");
        assertThat(sprintf("%d", "text")).isEqualTo("0");
    }
}
