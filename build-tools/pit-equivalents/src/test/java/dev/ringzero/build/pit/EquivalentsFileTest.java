package dev.ringzero.build.pit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EquivalentsFileTest {

    private static final Path FILE = Path.of("docs/mutation-equivalents.txt");

    @Test
    void anUnpinnedLineShouldNameEveryMutantOfItsKindInTheMethod() {
        Equivalent e = EquivalentsFile.parse("a.B | m | negated conditional | the reason", FILE, 3);

        assertThat(e.pinned()).isFalse();
        assertThat(e.names("a.B", "m", "negated conditional")).isTrue();
        assertThat(e.names("a.B", "n", "negated conditional")).isFalse();
        assertThat(e.pins("a.B", "m", "negated conditional", 7)).as("an unpinned line leaves nothing out").isFalse();
        assertThat(e.reason()).isEqualTo("the reason");
    }

    @Test
    void aPinnedLineShouldNameOnlyItsInstructionsAndKeepABarInItsReason() {
        Equivalent e = EquivalentsFile.parse("a.B | m | Replaced bitwise AND with OR | @12, 40 | (w | MASK) is never 0", FILE, 9);

        assertThat(e.indexes()).containsExactlyInAnyOrder(12, 40);
        assertThat(e.pins("a.B", "m", "Replaced bitwise AND with OR", 40)).isTrue();
        assertThat(e.pins("a.B", "m", "Replaced bitwise AND with OR", 41)).isFalse();
        assertThat(e.pins("a.B", "m", "negated conditional", 12)).isFalse();
        assertThat(e.reason()).isEqualTo("(w | MASK) is never 0");
        assertThat(e.lineNumber()).isEqualTo(9);
    }

    @Test
    void aMalformedLineShouldNameTheFileAndLine() {
        assertThatThrownBy(() -> EquivalentsFile.parse("a.B | m | negated conditional", FILE, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(FILE + " line 5: expected");
        assertThatThrownBy(() -> EquivalentsFile.parse("a.B | m | negated conditional | @x | why", FILE, 6))
                .hasMessageStartingWith(FILE + " line 6: expected");
        assertThatThrownBy(() -> EquivalentsFile.parse("a.B | m | negated conditional | @3 | ", FILE, 7))
                .hasMessageStartingWith(FILE + " line 7: expected");
    }

    @Test
    void theCheckedInFileShouldParse() throws Exception {
        assertThat(EquivalentsFile.read(Path.of("../../docs/mutation-equivalents.txt"))).isNotEmpty()
                .allSatisfy(e -> assertThat(e.reason()).isNotBlank());
    }
}
