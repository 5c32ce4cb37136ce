package dev.ringzero.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.NtStatus;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.DriverState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void everyBadJarShouldBeOneLineOnStderrAndInTheHostLogBeforeAnythingLoads() throws IOException {
        Path empty = Files.write(home.resolve("empty.jar"), new byte[0]);
        Path good = RunJarsTest.jar(home.resolve("good.jar"), "test.good", "x.Good", null);

        // no distribution under home: had anything started, the missing system/ would be the error
        assertThat(ringzero("run", empty.toString(), good.toString(), good.toString())).isEqualTo(Main.USAGE);

        assertThat(stderr().lines()).containsExactly("ringzero: corrupt jar: " + empty + " (zip file is empty)",
                "ringzero: " + good + " is named twice; a driver is loaded once");
        assertThat(Files.readAllLines(home.resolve("log/host.log")))
                .hasSize(2).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z .*"))
                .anyMatch(l -> l.endsWith(" corrupt jar: " + empty + " (zip file is empty)"))
                .anyMatch(l -> l.endsWith(" " + good + " is named twice; a driver is loaded once"));
    }

    @Test
    void aDriverThatCannotBeCreatedShouldCountAsABadJarButAFailingDriverEntryShouldNot() {
        assertThat(Main.notCreated(new DriverOutcome("Missing", DriverState.UNLOADED, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
                null, "Missing: cannot create the driver", List.of()))).isTrue();
        assertThat(Main.notCreated(new DriverOutcome("Twice", DriverState.UNLOADED, NtStatus.STATUS_IMAGE_ALREADY_LOADED,
                null, "Twice: STATUS_IMAGE_ALREADY_LOADED", List.of()))).isTrue();
        assertThat(Main.notCreated(new DriverOutcome("Tutorial", DriverState.UNLOADED, NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR,
                null, "Tutorial: DriverEntry returned ...", List.of()))).isFalse();
    }

    @Test
    void runWithoutJarsShouldNameTheMissingSampleWhenTheDistributionHasNone() {
        assertThat(ringzero("run")).isEqualTo(Main.USAGE);
        assertThat(stderr().lines()).containsExactly("ringzero: no such file: " + home.resolve(Main.SAMPLE));
    }
}
