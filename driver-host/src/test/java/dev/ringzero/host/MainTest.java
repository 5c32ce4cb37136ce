package dev.ringzero.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's answers that need no framework: help, and one-line errors with exit code 2. */
class MainTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int ringzero(String... args) {
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), home);
        return main.execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpShouldPrintTheUsageAndExitZero() {
        assertThat(ringzero("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: ringzero [OPTIONS]");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void anUnknownOptionShouldBeOneLineAndExitTwo() {
        assertThat(ringzero("run", "--frobnicate")).isEqualTo(Main.USAGE);
        assertThat(stderr()).isEqualTo("ringzero: unknown option '--frobnicate' (see ringzero --help)" + System.lineSeparator());
    }

    @Test
    void aMissingJarShouldBeOneLineAndExitTwo() {
        assertThat(ringzero("run", home.resolve("missing.jar").toString())).isEqualTo(Main.USAGE);
        assertThat(stderr().lines()).containsExactly("ringzero: no such file: " + home.resolve("missing.jar"));
    }

    @Test
    void aCorruptJarShouldBeOneLineAndExitTwo() throws IOException {
        Path jar = Files.writeString(home.resolve("corrupt.jar"), "this is no zip");
        assertThat(ringzero("run", jar.toString())).isEqualTo(Main.USAGE);
        assertThat(stderr().lines()).singleElement().asString().startsWith("ringzero: corrupt jar: " + jar);
    }

    @Test
    void runWithoutJarsShouldNameTheMissingSampleWhenTheDistributionHasNone() {
        assertThat(ringzero("run")).isEqualTo(Main.USAGE);
        assertThat(stderr().lines()).containsExactly("ringzero: no such file: " + home.resolve(Main.SAMPLE));
    }
}
