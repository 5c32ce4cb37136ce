package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Driver;
import dev.ringzero.api.NtStatus;
import dev.ringzero.distribution.drivers.FailingDriver;
import dev.ringzero.distribution.drivers.FaultingDriver;
import dev.ringzero.distribution.drivers.GoodDriver;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.felix.DriverLoad;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostException;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** The host on the real Felix with the real platform bundles, loading real driver bundles. */
class DriverHostIT {

    private static final String LOOKASIDE_STATUS =
            "LookasideList: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded";

    @TempDir
    static Path tmp;

    private static final Transcript transcript = new Transcript();
    private static final Events events = new Events();
    private static FelixHost host;

    @BeforeAll
    static void startHost() throws HostException {
        host = FelixHost.start(Distribution.settings(tmp, transcript), events);
    }

    @AfterAll
    static void stopHost() throws IOException {
        host.close();
        assertThat(Distribution.hasStorageLeft(tmp.resolve("data"))).as("framework storage deleted at close").isFalse();
        assertThat(events.faults).isEmpty();
    }

    private static Path driverJar(String dir, Class<? extends Driver> driver) throws IOException {
        return TestBundles.driverBundle(tmp.resolve(dir), driver);
    }

    @Test
    void shouldRunTheTutorialsLookasideListDriverAndReportItsStatus() throws HostException {
        DriverLoad load = host.load(Distribution.sample());

        assertThat(load.outcome().message()).isEqualTo(LOOKASIDE_STATUS);
        assertThat(load.outcome().state()).isEqualTo(DriverState.UNLOADED);
        assertThat(load.outcome().status()).isEqualTo(NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR);
        List<String> lines = transcript.of("LookasideList");
        assertThat(lines).startsWith("", "LookasideList: Entering DriverEntry");
        assertThat(lines).containsSubsequence(
                "LookasideList: Lookaside list initialized",
                "LookasideList: Doubly linked list head initialized",
                "",
                "LookasideList: Start to allocate/free from/to lookaside list",
                "LookasideList: + Entry #1 added",
                "LookasideList: + Entry #2 added",
                "LookasideList: - Entry #2 removed",
                "LookasideList: + Entry #10 added",
                "LookasideList: - Entry #10 removed",
                "",
                "LookasideList: Free the rest to lookaside list",
                "LookasideList: - Entry #9 removed",
                "LookasideList: - Entry #1 removed",
                "LookasideList: Doubly linked list is empty",
                "",
                "LookasideList: Lookaside list deleted");
        assertThat(lines).filteredOn(l -> l.startsWith("LookasideList: + Entry #")).hasSize(10);
        assertThat(lines).filteredOn(l -> l.startsWith("LookasideList: - Entry #")).hasSize(10);

        assertThat(load.outcome().lookasideDumps()).singleElement().asString()
                .startsWith("Lookaside \"\" @ ").contains("\"Wasm\"", "PagedPool", "TotalAllocates =         10");
        assertThat(host.ioManager().drivers()).doesNotContainKey("LookasideList");
        assertThat(host.executive().pool().usage()).filteredOn(u -> u.tagName().equals("Wasm"))
                .singleElement().satisfies(u -> {
                    assertThat(u.paged()).isTrue();
                    assertThat(u.allocs()).isPositive().isEqualTo(u.frees());
                    assertThat(u.bytesInUse()).isZero();
                });
        assertThat(host.unload(load)).isEmpty();
        assertThat(load.bundle().getState()).isEqualTo(Bundle.UNINSTALLED);
    }

    @Test
    void shouldReportAFailureStatusWithoutCallingDriverUnload() throws Exception {
        DriverLoad load = host.load(driverJar("failing", FailingDriver.class));

        assertThat(load.outcome().message())
                .isEqualTo("FailingDriver: DriverEntry returned STATUS_INSUFFICIENT_RESOURCES (0xC000009A); driver unloaded");
        assertThat(load.outcome().state()).isEqualTo(DriverState.UNLOADED);
        assertThat(host.unload(load)).isEmpty();
        assertThat(transcript.of("FailingDriver")).contains("FailingDriver: Entering DriverEntry")
                .doesNotContain("FailingDriver: DriverUnload called");
    }

    @Test
    void anExceptionInDriverEntryShouldBugCheck0x7EAndLeaveTheHostUpForTheNextDriver() throws Exception {
        DriverLoad bad = host.load(driverJar("faulting", FaultingDriver.class));

        assertThat(bad.outcome().state()).isEqualTo(DriverState.UNLOADED);
        assertThat(bad.outcome().bugCheck().code()).isEqualTo(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
        assertThat(bad.outcome().message())
                .startsWith("*** STOP: SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x7E)")
                .contains("deliberate fault in DriverEntry", "[driver FaultingDriver, during DriverEntry]")
                .endsWith("; driver unloaded");
        assertThat(events.bugChecks).filteredOn(s -> s.report().owner().name().equals("FaultingDriver"))
                .singleElement().satisfies(s -> {
                    assertThat(s.crashReport()).isRegularFile().hasParent(tmp.resolve("log"));
                    assertThat(Files.readString(s.crashReport()))
                            .contains("SYSTEM_THREAD_EXCEPTION_NOT_HANDLED", "Arg1: 0xC0000001", "deliberate fault in DriverEntry",
                                    "at dev.ringzero.distribution.drivers.FaultingDriver.DriverEntry");
                });
        assertThat(transcript.of("FaultingDriver")).containsExactly("FaultingDriver: Entering DriverEntry");
        assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);
        host.unload(bad);

        DriverLoad good = host.load(driverJar("after-fault", GoodDriver.class));
        assertThat(good.outcome().message()).isEqualTo("GoodDriver: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded");
        assertThat(host.ioManager().drivers()).containsKey("GoodDriver");
        assertThat(host.unload(good)).isEmpty();
        assertThat(transcript.of("GoodDriver")).last().isEqualTo("GoodDriver: DriverUnload called");
        assertThat(host.ioManager().drivers()).doesNotContainKey("GoodDriver");
    }

    @Test
    void stoppingADriversBundleShouldCallItsDriverUnload() throws Exception {
        DriverLoad load = host.load(driverJar("stopped", GoodDriver.class));
        assertThat(load.outcome().state()).isEqualTo(DriverState.LOADED);
        assertThat(transcript.of("GoodDriver")).contains("GoodDriver: Entering DriverEntry "
                + "(\\Registry\\Machine\\System\\CurrentControlSet\\Services\\GoodDriver)");
        long unloadsBefore = transcript.of("GoodDriver").stream().filter(l -> l.endsWith("DriverUnload called")).count();

        load.bundle().stop();   // the extender unloads the driver before the bundle's classes go

        assertThat(transcript.of("GoodDriver").stream().filter(l -> l.endsWith("DriverUnload called")).count())
                .isEqualTo(unloadsBefore + 1);
        assertThat(host.ioManager().drivers()).doesNotContainKey("GoodDriver");
        assertThat(host.executive().pool().usage()).filteredOn(u -> u.tagName().equals("Good"))
                .singleElement().extracting(PoolTagUsage::outstanding).isEqualTo(0L);
        assertThat(host.unload(load)).isEmpty();
    }

    @Test
    void aBundleThatIsNoDriverShouldBeIgnoredByTheExtenderAndRefusedByLoad() throws Exception {
        Path library = TestBundles.plainBundle(tmp.resolve("library"), "test.library");
        assertThatThrownBy(() -> host.load(library))
                .isInstanceOf(HostException.class)
                .hasMessage("not a driver bundle: " + library + " (its manifest has no Ringzero-Driver header)");

        Bundle installed = host.framework().getBundleContext().installBundle(library.toUri().toString());
        installed.start();
        assertThat(installed.getState()).isEqualTo(Bundle.ACTIVE);
        // loads are handled in order on one thread: once the next driver has loaded, the library would have too
        DriverLoad next = host.load(driverJar("after-library", FailingDriver.class));
        assertThat(next.outcome().name()).isEqualTo("FailingDriver");
        assertThat(events.allLoaded).noneMatch(l -> l.bundle().equals(installed));
        installed.uninstall();
        host.unload(next);
    }

    @Test
    void aDriverBundleWithoutItsEntryClassShouldFailToLoadWithEntryPointNotFound() throws Exception {
        DriverLoad load = host.load(TestBundles.driverBundleWithMissingEntryClass(tmp.resolve("missing"), "dev.example.Missing"));
        try {
            assertThat(load.outcome().state()).isEqualTo(DriverState.UNLOADED);
            assertThat(load.outcome().status()).isEqualTo(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
            assertThat(load.outcome().message()).startsWith("Missing: ")
                    .contains("entry class dev.example.Missing not found in bundle test.driver.missing");
            assertThat(host.ioManager().drivers()).doesNotContainKey("Missing");
        } finally {
            host.unload(load);
        }
    }

    @Test
    void aCorruptJarShouldBeRefusedWithAClearMessageAndNothingInstalled() throws IOException {
        Path corrupt = TestBundles.corruptJar(tmp.resolve("corrupt"));
        int bundles = host.framework().getBundleContext().getBundles().length;

        assertThatThrownBy(() -> host.load(corrupt))
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("corrupt jar: " + corrupt + " (")
                .extracting(e -> ((HostException) e).kind()).isEqualTo(HostException.Kind.USAGE);
        assertThat(host.framework().getBundleContext().getBundles()).hasSize(bundles);
        assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void aDriverBundleThatDoesNotResolveShouldBeRefusedAndUninstalled() throws IOException {
        Path jar = TestBundles.driverBundle(tmp.resolve("unresolvable"), GoodDriver.class, "org.example.nowhere");
        int bundles = host.framework().getBundleContext().getBundles().length;

        assertThatThrownBy(() -> host.load(jar))
                .isInstanceOf(HostException.class)
                .hasMessage("cannot load " + jar + ": refused: it imports package org.example.nowhere (a driver may import only"
                        + " dev.ringzero.api, dev.ringzero.api.lookaside, dev.ringzero.api.memory and the JDK's packages)");
        assertThat(host.framework().getBundleContext().getBundles()).hasSize(bundles);
    }

    @Test
    void theApiShouldComeFromTheHostNeverFromABundle() throws Exception {
        DriverLoad load = host.load(driverJar("api", GoodDriver.class));
        try {
            assertThat(load.bundle().loadClass(Driver.class.getName())).isSameAs(Driver.class);
            assertThat(host.framework().getBundleContext().getBundles())
                    .extracting(Bundle::getSymbolicName).contains("org.apache.felix.scr")
                    // the API and the executive are the launcher's modules, never bundles
                    .doesNotContain("dev.ringzero.api", "dev.ringzero.pool", "dev.ringzero.lookaside", "dev.ringzero.host");
            assertThat(Arrays.stream(host.framework().getBundleContext().getBundles()))
                    .allSatisfy(b -> assertThat(b.getState()).as(b.getSymbolicName()).isEqualTo(Bundle.ACTIVE));
        } finally {
            host.unload(load);
        }
    }

    @Test
    void loadingTheSameJarTwiceShouldBeRefused() throws Exception {
        Path jar = driverJar("twice", FailingDriver.class);
        DriverLoad first = host.load(jar);
        try {
            assertThatThrownBy(() -> host.load(jar)).isInstanceOf(HostException.class).hasMessage(jar + " is already installed");
        } finally {
            host.unload(first);
        }
        assertThat(first.bundle().getState()).isEqualTo(Bundle.UNINSTALLED);
    }

}
