package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.distribution.drivers.GoodDriver;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.felix.HostListener;
import dev.ringzero.host.launch.HostSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * API 2 (issue 17) as a driver author meets it: a driver importing the provider SPI, and one built against API 1,
 * each refused with one line — through {@code bin/ringzero run} (exit code 2) and dropped into the long-running
 * host's {@code drivers/} — while a driver whose headers were written by hand (all of {@link TestBundles}') and a
 * sample built with {@code @RingzeroDriver} load beside them.
 */
class DriverApiVersionIT {

    /** The refusal of a driver built against API 1 ({@link TestBundles#API_1_IMPORTS}), after {@code cannot load <jar>: }. */
    static final String BUILT_AGAINST_API_1 = "refused: it was built against Ringzero API 1 and must be rebuilt against"
            + " API 2: it imports dev.ringzero.api.lookaside [1.2,2), dev.ringzero.api.memory [1.3,2); the host provides"
            + " dev.ringzero.api.lookaside 2.0.0, dev.ringzero.api.memory 2.0.0 (see docs/migrating-to-api-2.md)";

    /** The refusal of a driver importing {@code dev.ringzero.spi.lookaside}. */
    static final String IMPORTS_THE_SPI = "refused: it imports package dev.ringzero.spi.lookaside, the provider SPI that"
            + " the executive and allocators implement (a driver may import only dev.ringzero.api,"
            + " dev.ringzero.api.lookaside, dev.ringzero.api.memory and the JDK's packages)";

    @TempDir
    Path tmp;

    @Test
    void runShouldRefuseTheSpiImporterAndTheApiOneDriverWithOneLineEachLoadTheOthersAndExitTwo() throws Exception {
        Path jars = tmp.resolve("jars");
        Path spi = TestBundles.driverBundleImporting(jars, "spi.jar", GoodDriver.class, "SpiDriver",
                TestBundles.API_IMPORTS + ",dev.ringzero.spi.lookaside;version=\"[1.0,2)\"");
        Path apiOne = TestBundles.driverBundleImporting(jars, "api1.jar", GoodDriver.class, "ApiOneDriver",
                TestBundles.API_1_IMPORTS);
        Path handWritten = TestBundles.driverBundle(jars, GoodDriver.class);

        SampleRun r = SampleRun.ringzero(tmp, null, "run", spi.toString(), apiOne.toString(), handWritten.toString(),
                SampleRun.sample("lookaside-list-driver").toString());
        String out = r.toString();

        assertThat(r.exitCode()).as(out).isEqualTo(2);
        assertThat(r.stderr()).as(out).containsExactly(
                "ringzero: cannot load " + spi + ": " + IMPORTS_THE_SPI,
                "ringzero: cannot load " + apiOne + ": " + BUILT_AGAINST_API_1);
        assertThat(r.stdout()).as(out)
                .contains("GoodDriver: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded",
                        "LookasideList: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded")
                .noneMatch(l -> l.contains("SpiDriver") || l.contains("ApiOneDriver"))
                .noneMatch(l -> l.contains("Unable to resolve") || l.contains("missing requirement") || l.startsWith("\tat "));
    }

    @Test
    void droppedIntoDriversTheApiOneDriverShouldBeRefusedWithTheSameLineAndTheHostServeOn() throws Exception {
        Transcript transcript = new Transcript();
        Events events = new Events();
        BlockingQueue<String> folderLines = new LinkedBlockingQueue<>();
        HostListener lines = new HostListener() {
            @Override
            public void driversFolder(String line) {
                folderLines.add(line);
            }
        };
        HostSettings settings = Distribution.settings(tmp, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false).withFrameworkProperty("felix.fileinstall.poll", "100");
        try (FelixHost host = FelixHost.start(settings, HostListener.all(events, lines))) {
            Path apiOne = settings.driversDir().resolve("api1.jar");
            Files.copy(TestBundles.driverBundleImporting(tmp.resolve("build"), "api1.jar", GoodDriver.class, "ApiOneDriver",
                    TestBundles.API_1_IMPORTS), apiOne);
            String line = Events.next(folderLines, "a line about api1.jar");
            while (!line.contains("refused")) {
                line = Events.next(folderLines, "the refusal of api1.jar");
            }
            assertThat(line).isEqualTo("drivers/: cannot load " + apiOne + ": " + BUILT_AGAINST_API_1 + "; not loaded");

            Files.copy(TestBundles.driverBundle(tmp.resolve("build"), GoodDriver.class), settings.driversDir().resolve("good.jar"));
            assertThat(Events.next(events.loaded, "load of GoodDriver").outcome().state()).as("the host serves on")
                    .isEqualTo(DriverState.LOADED);
            assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);
        }
    }
}
