package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.distribution.corpus.UndeletedListDriver;
import dev.ringzero.distribution.drivers.SwapDriver;
import dev.ringzero.distribution.swap.DelegatingLookasideProvider;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * Lookaside lists under running drivers on the real Felix host: a live swap of the implementation for
 * new lists (existing lists stay where they are), and a list left registered without the verifier.
 */
class LookasideLifecycleIT {

    @TempDir
    Path tmp;

    private final Transcript transcript = new Transcript();
    private final Events events = new Events();
    private FelixHost host;
    private GogoSession kd;

    @BeforeEach
    void startHost() throws Exception {
        host = FelixHost.start(Distribution.settingsWithOwnSystemFolder(tmp, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false).withWatchdog(Duration.ofSeconds(10)), events);
        kd = new GogoSession(host.framework().getBundleContext());
    }

    @AfterEach
    void stopHost() throws Exception {
        kd.close();
        host.close();
    }

    /**
     * Swaps to {@code magazine} through the shell when the distribution has it; else installs a test-only
     * second implementation ({@link DelegatingLookasideProvider}) whose higher service ranking selects it.
     */
    @Test
    void aSwapUnderARunningDriverShouldMoveOnlyNewListsAndLoseNothing() throws Exception {
        Executive ex = host.executive();
        assertThat(ex.selectedLookaside().name()).isEqualTo("nt");
        long baseline = ex.pool().bytesInUse();

        assertThat(kd.execute("load " + TestBundles.driverBundle(tmp.resolve("build"), SwapDriver.class))).endsWith("driver loaded");
        LookasideProvider nt = ex.lookasideProviders().get("nt");
        await("SwapDriver's short-lived lists with nt", () -> swapLists(nt, 48).size() > 0);

        String target;
        if (ex.lookasideProviders().containsKey("magazine")) {
            target = "magazine";
            assertThat(kd.execute("allocators select magazine")).startsWith("new lookaside lists use 'magazine'");
        } else {
            target = DelegatingLookasideProvider.NAME;
            Bundle provider = host.framework().getBundleContext()
                    .installBundle("reference:" + TestBundles.lookasideProviderBundle(host.settings().systemDir().resolve("test")).toUri());
            provider.start();   // ranked above nt: selected for new lists
        }
        assertThat(ex.selectedLookaside().name()).isEqualTo(target);
        LookasideProvider swapped = ex.lookasideProviders().get(target);
        await("SwapDriver's new lists with " + target, () -> swapLists(swapped, 48).size() > 0);

        // the long-lived list made before the swap stays with nt until it is deleted
        assertThat(swapLists(nt, 32)).hasSize(1);
        assertThat(swapLists(swapped, 32)).isEmpty();
        assertThat(kd.execute("allocators")).contains("* " + target).containsPattern("nt +\\d+ list\\(s\\) of .*SwapDriver");
        assertThat(kd.execute("allocators remove nt")).startsWith("allocators remove: lookaside implementation 'nt' still serves")
                .contains("SwapDriver");

        assertThat(kd.execute("unload SwapDriver")).isEqualTo("SwapDriver: driver unloaded");
        assertThat(transcript.of("SwapDriver")).last().asString().matches("SwapDriver: [1-9]\\d* rounds, 0 entries lost or corrupted");
        assertThat(events.bugChecks).isEmpty();
        assertThat(ex.pool().bytesInUse()).as("pool bytes in use after the unload").isEqualTo(baseline);
        assertThat(nt.lists()).isEmpty();
        assertThat(swapped.lists()).isEmpty();

        if (!target.equals(DelegatingLookasideProvider.NAME)) {
            // a higher-ranked implementation appearing is selected too
            host.framework().getBundleContext()
                    .installBundle("reference:" + TestBundles.lookasideProviderBundle(host.settings().systemDir().resolve("test")).toUri()).start();
            assertThat(ex.selectedLookaside().name()).isEqualTo(DelegatingLookasideProvider.NAME);
        }
        // an implementation that serves no list and is not selected can go
        assertThat(kd.execute("allocators remove nt")).isEqualTo("lookaside implementation 'nt' removed");
        assertThat(ex.lookasideProviders()).doesNotContainKey("nt");
    }

    /**
     * The framework property {@code ringzero.lookaside.implementation} (etc/config.properties) names the
     * implementation for new lists ({@code magazine} when the distribution has it, else {@code nt}), and it
     * stays selected when a higher-ranked implementation appears later.
     */
    @Test
    void theConfiguredImplementationShouldServeNewLists() throws Exception {
        boolean magazine = host.executive().lookasideProviders().containsKey("magazine");
        kd.close();
        host.close();
        host = FelixHost.start(Distribution.settingsWithOwnSystemFolder(tmp.resolve("configured"), transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false)
                .withFrameworkProperty("ringzero.lookaside.implementation", magazine ? "magazine" : "nt"), events);
        kd = new GogoSession(host.framework().getBundleContext());
        if (magazine) {
            assertThat(host.executive().selectedLookaside().name()).isEqualTo("magazine");
        }
        host.framework().getBundleContext()
                .installBundle("reference:" + TestBundles.lookasideProviderBundle(host.settings().systemDir().resolve("test")).toUri()).start();
        assertThat(host.executive().selectedLookaside().name()).as("the configured implementation outranks service ranking")
                .isEqualTo(magazine ? "magazine" : "nt");
        assertThat(kd.execute("allocators")).contains("* " + (magazine ? "magazine" : "nt"), "  " + DelegatingLookasideProvider.NAME);
    }

    @Test
    void aListLeftRegisteredWithoutTheVerifierShouldBugCheck0xCEWhenTheTunerScansIt() throws Exception {
        assertThat(kd.execute("load " + TestBundles.driverBundle(tmp.resolve("build"), UndeletedListDriver.class))).endsWith("driver loaded");
        assertThat(kd.execute("unload UndeletedListDriver"))
                .contains("UndeletedListDriver: 1 lookaside list(s) not deleted; they stay registered");
        Executive ex = host.executive();
        await("0xCE at the tuner's scan", () -> {
            ex.lookasideRegistry().adjustLookasideDepth();   // the balance-set manager's 1 Hz tick, run now
            return events.bugChecks.stream().anyMatch(s -> s.report().bugCheck().code()
                    == BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
        });
        assertThat(events.bugChecks.getFirst().report().owner().name()).isEqualTo("UndeletedListDriver");
        assertThat(events.bugChecks.getFirst().crashReport()).isNotNull();
        assertThat(ex.lookasideRegistry().lists()).isEmpty();
    }

    private static List<LookasideInfo> swapLists(LookasideProvider p, int size) {
        return p.lists().stream().filter(l -> l.owner().name().equals("SwapDriver") && l.size() == size).toList();
    }

    /** Polls {@code condition} (no sleeping: it yields) for at most 30 s. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.yield();
        }
    }
}
