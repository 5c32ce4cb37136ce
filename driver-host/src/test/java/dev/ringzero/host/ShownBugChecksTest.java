package dev.ringzero.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Owner;
import dev.ringzero.host.core.BugCheckPhase;
import dev.ringzero.host.core.BugCheckReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interactive host's console shows each bug check once: when it happens, not again in the outcome. */
class ShownBugChecksTest {

    static final BugCheckReport DOUBLE_FREE = new BugCheckReport(new Owner("DoubleFreeDriver", 4), BugCheckPhase.DRIVER_ENTRY,
            new BugCheck(BugCheckCode.BAD_POOL_CALLER, 7, 0, 0x10, 0x80001000L, "double free"), Instant.EPOCH);

    @Test
    void aLoadEndedByAShownBugCheckShouldSayOnlyThatTheDriverWasUnloaded() {
        ShownBugChecks shown = new ShownBugChecks();
        String outcome = DOUBLE_FREE.headline() + "; driver unloaded";
        assertThat(shown.withoutShown("DoubleFreeDriver", outcome)).as("not shown yet").isEqualTo(outcome);

        assertThat(shown.show(DOUBLE_FREE)).isEqualTo(DOUBLE_FREE.headline());

        assertThat(shown.withoutShown("DoubleFreeDriver", outcome)).isEqualTo("DoubleFreeDriver: driver unloaded");
        assertThat(shown.withoutShown("DoubleFreeDriver", "DoubleFreeDriver: 1 lookaside list(s) not deleted"))
                .isEqualTo("DoubleFreeDriver: 1 lookaside list(s) not deleted");
    }

    @Test
    void unloadNotesThatAreOnlyAShownHeadlineShouldBeDropped() {
        ShownBugChecks shown = new ShownBugChecks();
        shown.show(DOUBLE_FREE);
        assertThat(shown.withoutShown("DoubleFreeDriver", List.of(DOUBLE_FREE.headline(), "DoubleFreeDriver: reclaimed 1 block")))
                .containsExactly("DoubleFreeDriver: reclaimed 1 block");
    }
}
