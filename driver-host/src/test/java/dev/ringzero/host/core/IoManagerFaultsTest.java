package dev.ringzero.host.core;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the I/O manager makes of a driver that overflows its stack, leaks thousands of blocks, or never returns. */
class IoManagerFaultsTest {

    private InProcessHost host;

    @AfterEach
    void close() {
        Spinner.spin = false;
        if (host != null) {
            host.close();
        }
    }

    /** Recurses until the stack is gone. */
    public static final class Recursive implements Driver {
        private int depth;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            return recurse();
        }

        private NtStatus recurse() {
            depth++;
            return recurse();
        }
    }

    /** Allocates 3,000 small blocks of two tags in both pools and frees none. */
    public static final class Leaker implements Driver {
        static final int BLOCKS = 3_000;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            for (int i = 0; i < BLOCKS; i++) {
                pool.ExAllocatePoolWithTag(i % 3 == 0 ? PagedPool : NonPagedPool, 16, PoolTag.fromDisplay(i % 2 == 0 ? "LkAa" : "LkBb"));
            }
            driverObject.setDriverUnload(d -> { });
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** Spins in DriverEntry, burning a core, until the test lets it go. */
    public static final class Spinner implements Driver {
        static volatile boolean spin = true;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            long n = 0;
            while (spin) {
                n++;
            }
            return n >= 0 ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL;
        }
    }

    /** Keeps one block, then frees another twice: 0xC2/0x07 in DriverEntry. */
    public static final class KeepsOneThenDoubleFrees implements Driver {
        static final int TAG = PoolTag.fromDisplay("Kept");

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            pool.ExAllocatePoolWithTag(NonPagedPool, 40, TAG);
            int twice = pool.ExAllocatePoolWithTag(NonPagedPool, 24, TAG);
            pool.ExFreePoolWithTag(twice, TAG);
            pool.ExFreePoolWithTag(twice, TAG);
            return NtStatus.STATUS_SUCCESS;
        }
    }

    @Test
    void aBlockLeftBehindByABugCheckShouldBeReportedAsReclaimedNotReclaimedSilently() {
        host = InProcessHost.builder().build();

        DriverOutcome o = host.load(DriverImage.of("KeepsOne", KeepsOneThenDoubleFrees.class));

        assertThat(o.bugCheck().code()).isEqualTo(BugCheckCode.BAD_POOL_CALLER);
        assertThat(o.message()).startsWith("*** STOP: BAD_POOL_CALLER (0xC2) (0x00000007")
                .contains("; driver unloaded (KeepsOne unloaded without freeing 1 pool allocation(s), 40 bytes:", "Kept",
                        "; reclaimed)");
        assertThat(host.executive().pool().outstanding(o.bugCheck() == null ? null : host.bugChecks().getLast().owner()))
                .as("reclaimed").isEmpty();
    }

    @Test
    void aStackOverflowShouldBeAnUnexpectedKernelModeTrapWithADoubleFault() {
        host = InProcessHost.builder().build();

        DriverOutcome o = host.load(DriverImage.of("Recursive", Recursive.class));

        assertThat(o.state()).isEqualTo(DriverState.UNLOADED);
        assertThat(o.bugCheck().code()).isEqualTo(BugCheckCode.UNEXPECTED_KERNEL_MODE_TRAP);
        assertThat(o.bugCheck().parameter1()).isEqualTo(8);
        assertThat(o.message()).startsWith("*** STOP: UNEXPECTED_KERNEL_MODE_TRAP (0x7F) (0x00000008,")
                .contains("kernel stack overflow").endsWith("[driver Recursive, during DriverEntry]; driver unloaded");
    }

    @Test
    void aLeakOfThousandsOfBlocksShouldBeSummarizedPerTagAndPoolWithTheFirstTwentyListed() {
        host = InProcessHost.builder().build();
        assertThat(host.load(DriverImage.of("Leaker", Leaker.class)).loaded()).isTrue();

        List<String> notes = host.io().forceUnload("Leaker").lines();

        String leak = String.join("\n", notes);
        assertThat(leak.lines()).as(leak).hasSize(1 + 4 + UnloadReport.LEAKS_LISTED + 1);
        assertThat(leak).startsWith("Leaker unloaded without freeing 3000 pool allocation(s), 48000 bytes:\n"
                        + "    tag LkAa NonPagedPool: 1000 allocation(s), 16000 bytes\n"
                        + "    tag LkAa PagedPool: 500 allocation(s), 8000 bytes\n"
                        + "    tag LkBb NonPagedPool: 1000 allocation(s), 16000 bytes\n"
                        + "    tag LkBb PagedPool: 500 allocation(s), 8000 bytes\n")
                .endsWith("    ... and 2980 more (not listed; under the verifier (--verify Leaker) the crash report lists"
                        + " every block); reclaimed");
        assertThat(host.executive().pool().usage()).filteredOn(u -> u.tagName().startsWith("Lk"))
                .as("reclaimed").allSatisfy(u -> assertThat(u.outstanding()).isZero());
    }

    @Test
    void underTheVerifierTheSummaryShouldPointToTheCrashReport() {
        host = InProcessHost.builder().verifier(true).build();
        host.load(DriverImage.of("Leaker", Leaker.class));

        host.io().forceUnload("Leaker");

        assertThat(host.bugChecks()).singleElement().satisfies(r -> {
            assertThat(r.bugCheck().code()).isEqualTo(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION);
            assertThat(r.bugCheck().detail().lines()).hasSize(1 + 4 + UnloadReport.LEAKS_LISTED + 1);
            assertThat(r.bugCheck().detail()).endsWith("    ... and 2980 more (the crash report lists every block)");
        });
    }

    @Test
    void aHungDriverEntryShouldLeaveItsWorkerThreadFindableWhileTheDriverIsQuarantined() throws Exception {
        Spinner.spin = true;
        host = InProcessHost.builder().watchdog(Duration.ofMillis(300)).build();

        DriverOutcome o = host.load(DriverImage.of("Spinner", Spinner.class));

        assertThat(o.state()).isEqualTo(DriverState.QUARANTINED);
        Thread worker = host.io().hungWorker("Spinner").orElseThrow();
        assertThat(worker.getName()).isEqualTo("System worker: DriverEntry Spinner");
        assertThat(worker.isAlive()).isTrue();
        assertThat(host.io().hungWorker("NoSuchDriver")).isEmpty();

        Spinner.spin = false;
        worker.join(Duration.ofSeconds(10));
        assertThat(worker.isAlive()).isFalse();
    }
}
