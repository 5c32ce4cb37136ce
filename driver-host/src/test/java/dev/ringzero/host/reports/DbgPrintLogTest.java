package dev.ringzero.host.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbgPrintLogTest {

    @Test
    void shouldWriteTimeDriverAndLine() throws IOException {
        StringWriter text = new StringWriter();
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T22:50:01.120Z"), ZoneOffset.UTC);
        try (DbgPrintLog log = new DbgPrintLog(text, clock, message -> { })) {
            log.line("LookasideList", "LookasideList: Entering DriverEntry");
            log.line("LookasideList", "");
        }
        assertThat(text.toString().lines()).containsExactly(
                "2026-11-22T22:50:01.120Z [LookasideList] LookasideList: Entering DriverEntry",
                "2026-11-22T22:50:01.120Z [LookasideList]");
    }

    @Test
    void shouldAppendToAnExistingLog(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log/dbgprint.log");
        try (DbgPrintLog log = DbgPrintLog.open(file)) {
            log.line("A", "first");
        }
        try (DbgPrintLog log = DbgPrintLog.open(file)) {
            log.line("B", "second");
        }
        assertThat(Files.readAllLines(file)).hasSize(2)
                .satisfiesExactly(l -> assertThat(l).endsWith(" [A] first"), l -> assertThat(l).endsWith(" [B] second"));
    }

    @Test
    void aBrokenLogShouldNeverThrowIntoTheDriverAndSaySoOnce() {
        List<String> warnings = new ArrayList<>();
        DbgPrintLog log = new DbgPrintLog(new java.io.Writer() {
            @Override
            public void write(char[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }, Clock.systemUTC(), warnings::add);
        assertThatCode(() -> {
            log.line("A", "lost");
            log.line("A", "lost too");
        }).doesNotThrowAnyException();
        assertThat(warnings).containsExactly("ringzero: cannot write the DbgPrint log any more: disk full");
    }
}
