package dev.ringzero.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KdTest {

    @Test
    void shouldBufferPartialLinesUntilNewline() {
        List<String> lines = new ArrayList<>();
        DebugLineBuffer buffer = new DebugLineBuffer(lines::add);
        buffer.write("\nLookasideList: ");
        buffer.write("Entering DriverEntry\n");
        buffer.write("no newline yet");
        assertThat(lines).containsExactly("", "LookasideList: Entering DriverEntry");
        buffer.flush();
        assertThat(lines).containsExactly("", "LookasideList: Entering DriverEntry", "no newline yet");
    }

    @Test
    void shouldRouteDbgPrintToTheBoundOutputUnchanged() throws Exception {
        StringBuilder out = new StringBuilder();
        Kd.callWithOutput(out::append, () -> Kd.DbgPrint("LookasideList: + Entry #%d added\n", 1));
        assertThat(out).hasToString("LookasideList: + Entry #1 added\n");
    }
}
