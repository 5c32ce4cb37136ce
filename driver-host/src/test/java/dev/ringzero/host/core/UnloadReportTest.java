package dev.ringzero.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The I/O manager's typed account of each unload: what it returns, what its listeners hear, and the phase types. */
class UnloadReportTest {

    private InProcessHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    /** Leaves one 'LkOn' block; fails its DriverEntry when asked to. */
    public static final class OneLeak implements Driver {
        static volatile boolean fail;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            driverObject.service(PoolAllocator.class).ExAllocatePoolWithTag(PoolType.NonPagedPool, 40, PoolTag.fromDisplay("LkOn"));
            driverObject.setDriverUnload(d -> { });
            return fail ? NtStatus.STATUS_UNSUCCESSFUL : NtStatus.STATUS_SUCCESS;
        }
    }

    /** Starts a system thread that throws. */
    public static final class ThreadThrower implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            driverObject.PsCreateSystemThread("Worker", () -> {
                throw new IllegalStateException("boom");
            });
            driverObject.setDriverUnload(d -> { });
            return NtStatus.STATUS_SUCCESS;
        }
    }

    @Test
    void anUnloadShouldReportTheBlocksLeftAsBlocksAndTellItsListeners() {
        OneLeak.fail = false;
        host = InProcessHost.builder().build();
        List<UnloadReport> heard = new CopyOnWriteArrayList<>();
        host.io().onUnload(heard::add);
        host.load(DriverImage.of("OneLeak", OneLeak.class));

        UnloadReport r = host.io().forceUnload("OneLeak");

        assertThat(heard).containsExactly(r);
        assertThat(r.driver()).isEqualTo("OneLeak");
        assertThat(r.state()).isEqualTo(DriverState.UNLOADED);
        assertThat(r.clean()).isFalse();
        assertThat(r.leakedBlocks()).singleElement().satisfies(b -> {
            assertThat(PoolTag.toString(b.tag())).isEqualTo("LkOn");
            assertThat(b.size()).isEqualTo(40);
            assertThat(b.owner()).isEqualTo(r.owner());
        });
        assertThat(r.undeletedLists()).isEmpty();
        assertThat(r.bugChecks()).as("no verifier: reported and reclaimed, no bug check").isEmpty();
        assertThat(r.lines()).singleElement().asString().endsWith("; reclaimed");
    }

    @Test
    void underTheVerifierTheLeakShouldBeABugCheckOfTheUnloadPhase() {
        OneLeak.fail = false;
        host = InProcessHost.builder().verifier(true).build();
        host.load(DriverImage.of("OneLeak", OneLeak.class));

        UnloadReport r = host.io().forceUnload("OneLeak");

        assertThat(r.leakedBlocks()).hasSize(1);
        assertThat(r.bugChecks()).singleElement().satisfies(b -> {
            assertThat(b.bugCheck().code()).isEqualTo(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION);
            assertThat(b.where()).isEqualTo(BugCheckPhase.Teardown.UNLOAD);
            assertThat(b.phase()).isEqualTo("unload");
        });
        assertThat(r.lines()).containsExactly(r.bugChecks().getFirst().headline());
    }

    @Test
    void aFailedDriverEntryShouldPublishItsTeardownToo() {
        OneLeak.fail = true;
        host = InProcessHost.builder().build();
        List<UnloadReport> heard = new CopyOnWriteArrayList<>();
        host.io().onUnload(heard::add);

        DriverOutcome o = host.load(DriverImage.of("OneLeak", OneLeak.class));

        assertThat(o.loaded()).isFalse();
        assertThat(heard).singleElement().satisfies(r -> {
            assertThat(r.leakedBlocks()).hasSize(1);
            assertThat(o.message()).contains(r.lines().getFirst());
        });
    }

    @Test
    void aFaultOnASystemThreadShouldCarryThePhaseTypeAndItsText() throws Exception {
        host = InProcessHost.builder().build();
        host.load(DriverImage.of("ThreadThrower", ThreadThrower.class));
        host.io().forceUnload("ThreadThrower");   // joins the thread: its fault is reported by then

        assertThat(host.bugChecks()).singleElement().satisfies(r -> {
            assertThat(r.where()).isEqualTo(new BugCheckPhase.SystemThread("ThreadThrower", "Worker"));
            assertThat(r.phase()).isEqualTo("ThreadThrower: Worker");
        });
    }
}
