package dev.ringzero.host.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemoryLayout;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a careless driver cannot do to the host, in the in-process host: interrupts poison nothing shared,
 * a driver's handles die with it (0xCE, nothing allocated), the threads it leaves behind are found,
 * reported and stopped, and its threads' uncaught exceptions are its bug checks.
 */
class DriverIsolationTest {

    static final int TAG = PoolTag.of("losI");
    static final long[] SIZES = {24, 4_080, 8_192, 60_000, 2_500_000};

    private InProcessHost host;

    @BeforeEach
    void start() {
        host = InProcessHost.builder().watchdog(Duration.ofSeconds(20)).build();
        Held.reset();
    }

    @AfterEach
    void stop() {
        host.close();
        Thread.interrupted();
    }

    /** What a driver kept of its handles, for the test to use after the driver is gone. */
    static final class Held {
        static volatile DriverObject driverObject;
        static volatile PoolAllocator pool;
        static volatile LookasideLists lookaside;
        static volatile SystemMemory memory;
        static volatile Lists lists;
        static volatile int block;
        static volatile int header;
        static volatile Thread thread;
        static volatile Thread hostThread;
        static final AtomicReference<Throwable> threadEnd = new AtomicReference<>();
        static volatile CountDownLatch running = new CountDownLatch(1);

        static void reset() {
            driverObject = null;
            pool = null;
            thread = null;
            hostThread = null;
            threadEnd.set(null);
            running = new CountDownLatch(1);
        }
    }

    abstract static class TestDriver implements Driver {
        @Override
        public MemoryLayout imageLayout() {
            return MemoryLayout.structLayout();
        }
    }

    public static final class InterruptingDriver extends TestDriver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            Thread.currentThread().interrupt();
            for (int type : new int[] {PoolType.NonPagedPool, PoolType.PagedPool}) {
                for (long size : SIZES) {
                    int a = pool.ExAllocatePoolWithTag(type, size, TAG);
                    if (a == 0) {
                        return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
                    }
                    pool.ExFreePoolWithTag(a, TAG);
                }
            }
            return Thread.currentThread().isInterrupted() ? NtStatus.STATUS_UNSUCCESSFUL : NtStatus.STATUS_INVALID_PARAMETER;
        }
    }

    public static final class ExecutorDriver extends TestDriver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            ExecutorService workers = Executors.newFixedThreadPool(2);
            for (int i = 0; i < 6; i++) {
                workers.execute(() -> {
                    for (int k = 0; k < 30; k++) {
                        int a = pool.ExAllocatePoolWithTag(PoolType.PagedPool, 1_500_000, TAG);
                        if (a != 0) {
                            pool.ExFreePoolWithTag(a, TAG);
                        }
                    }
                });
            }
            workers.shutdownNow();
            try {
                workers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return NtStatus.STATUS_UNSUCCESSFUL;
        }
    }

    public static final class HostInterruptingDriver extends TestDriver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            Held.hostThread.interrupt();
            try {
                Thread.sleep(200); // the host's wait for DriverEntry is still running: it must not give up
            } catch (InterruptedException e) {
                return NtStatus.STATUS_UNSUCCESSFUL;
            }
            return NtStatus.STATUS_SUCCESS;
        }
    }

    public static final class HoardingDriver extends TestDriver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            Held.driverObject = driverObject;
            Held.pool = driverObject.service(PoolAllocator.class);
            Held.lookaside = driverObject.service(LookasideLists.class);
            Held.memory = driverObject.service(SystemMemory.class);
            Held.lists = driverObject.service(Lists.class);
            Held.block = Held.pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 64, TAG);
            Held.pool.ExFreePoolWithTag(Held.block, TAG); // NT's order: a freed block, the fast path warm
            Held.block = Held.pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 64, TAG);
            Held.header = Held.pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 128, TAG);
            Held.lookaside.ExInitializeNPagedLookasideList(Held.header, null, null, 0, 32, TAG, 0);
            Held.lookaside.ExDeleteNPagedLookasideList(Held.header);
            return NtStatus.STATUS_UNSUCCESSFUL; // unloaded at once; the blocks are reclaimed
        }
    }

    public static final class ThreadLeavingDriver extends TestDriver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            Thread t = new Thread(() -> {
                Held.running.countDown();
                try {
                    while (true) { // allocates and frees until something stops it; ignores interrupts
                        int a = pool.ExAllocatePoolWithTag(PoolType.PagedPool, 100, TAG);
                        pool.ExFreePoolWithTag(a, TAG);
                    }
                } catch (Throwable end) {
                    Held.threadEnd.set(end);
                    throw end;
                }
            }, "Leftover allocator");
            Held.thread = t;
            t.start();
            driverObject.setDriverUnload(d -> { });
            return NtStatus.STATUS_SUCCESS;
        }
    }

    public static final class SleepingThreadDriver extends TestDriver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            Thread t = new Thread(() -> {
                Held.running.countDown();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Held.threadEnd.set(e);
                }
            }, "Sleeper");
            Held.thread = t;
            t.start();
            return NtStatus.STATUS_UNSUCCESSFUL;
        }
    }

    public static final class ThrowingThreadDriver extends TestDriver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            Thread t = new Thread(() -> {
                throw new IllegalStateException("a bug in the driver's own thread");
            }, "Thrower");
            Held.thread = t;
            t.start();
            driverObject.setDriverUnload(d -> { });
            return NtStatus.STATUS_SUCCESS;
        }
    }

    @Test
    void anInterruptedDriverThreadShouldAllocateEverySizeAndLeaveEveryPoolServingOthers() {
        DriverOutcome out = host.load(DriverImage.of("Interrupting", InterruptingDriver.class));
        assertThat(out.status()).as("it allocated everything and its thread kept its interrupt: %s", out.message())
                .isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
        DriverOutcome exec = host.load(DriverImage.of("Executor", ExecutorDriver.class));
        assertThat(exec.status()).isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
        assertThat(host.bugChecks()).isEmpty();
        PoolAllocator other = host.executive().pool().forDriver(new dev.ringzero.api.Owner("Other", 999));
        for (int i = 0; i < 20; i++) {
            int a = other.ExAllocatePoolWithTag(PoolType.PagedPool, 2_500_000, TAG);
            assertThat(a).as("paged allocation %d of another driver", i).isNotZero();
            other.ExFreePoolWithTag(a, TAG);
        }
        assertThat(host.executive().pool().bytesInUse()).isZero();
    }

    @Test
    void aDriverInterruptingTheHostsThreadShouldNotCutTheHostsWaitShortAndTheInterruptIsKept() {
        Held.hostThread = Thread.currentThread();
        DriverOutcome out = host.load(DriverImage.of("HostInterrupting", HostInterruptingDriver.class));
        assertThat(out.loaded()).as(out.message()).isTrue();
        assertThat(Thread.interrupted()).as("the host thread's interrupt is kept for it").isTrue();
    }

    @Test
    void everyHandleOfAnUnloadedDriverShouldBe0xCEAndAllocateNothing() {
        host.load(DriverImage.of("Hoarding", HoardingDriver.class));
        assertThat(host.io().driver("Hoarding")).isEmpty();
        long inUse = host.executive().pool().bytesInUse();
        assertThat(inUse).as("its blocks were reclaimed").isZero();

        assert0xCE(() -> Held.pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 64, TAG), 0, 1);
        assert0xCE(() -> Held.pool.ExAllocatePoolWithTag(PoolType.PagedPool, 100_000, TAG), 0, 1);
        assert0xCE(() -> Held.pool.ExFreePoolWithTag(Held.block, TAG), Held.block, 1);
        assert0xCE(() -> Held.lookaside.ExAllocateFromNPagedLookasideList(Held.header), Held.header, 1);
        assert0xCE(() -> Held.lookaside.ExInitializeNPagedLookasideList(Held.header, null, null, 0, 32, TAG, 0), Held.header, 1);
        assert0xCE(() -> Held.lookaside.query(Held.header), Held.header, 0);
        assert0xCE(() -> Held.memory.resolve(Held.block), Held.block, 0);
        assert0xCE(() -> Held.memory.writeInt(Held.block, 1), Held.block, 1);
        assert0xCE(() -> Held.lists.InitializeListHead(Held.block), Held.block, 1);
        assert0xCE(() -> Held.driverObject.service(PoolAllocator.class), 0, 0);
        assert0xCE(() -> Held.driverObject.PsCreateSystemThread("late", () -> { }), 0, 0);
        assertThat(host.executive().pool().bytesInUse()).as("nothing allocated").isZero();
        assertThat(Held.pool.owner().name()).isEqualTo("Hoarding");
    }

    @Test
    void aThreadLeftRunningShouldBeReportedWithItsStackAndEndedAndItsDriversMemoryReclaimed() throws Exception {
        assertThat(host.load(DriverImage.of("Leaving", ThreadLeavingDriver.class)).loaded()).isTrue();
        Held.running.await();
        assertThat(host.io().driverOf(Held.thread)).as("a thread the driver started is the driver's")
                .hasValueSatisfying(d -> assertThat(d.name()).isEqualTo("Leaving"));
        assertThat(host.io().driverOf(Thread.currentThread())).isEmpty();
        assertThat(host.unload("Leaving")).isEqualTo(NtStatus.STATUS_SUCCESS);
        Held.thread.join(10_000);
        assertThat(Held.thread.isAlive()).isFalse();
        assertThat(Held.threadEnd.get()).as("the thread ended at its next call").isInstanceOf(BugCheck.class);
        assertThat(((BugCheck) Held.threadEnd.get()).code().code()).isEqualTo(0xCE);

        BugCheckReport leftover = host.bugChecks().stream().filter(r -> r.phase().equals("unload")).findFirst().orElseThrow();
        assertThat(leftover.owner().name()).isEqualTo("Leaving");
        assertThat(leftover.bugCheck().code().code()).isEqualTo(0xCE);
        assertThat(leftover.bugCheck().parameter4()).as("threads left").isEqualTo(1);
        assertThat(leftover.bugCheck().detail()).contains("1 thread(s) of its own still running (\"Leftover allocator\")");
        assertThat(leftover.bugCheck().getCause()).as("the thread's stack, for the crash report")
                .hasMessageContaining("\"Leftover allocator\"").satisfies(stack -> assertThat(stack.getStackTrace())
                        .anyMatch(e -> e.getClassName().startsWith(ThreadLeavingDriver.class.getName())));
        assertThat(host.io().driver("Leaving")).as("unloaded, not quarantined").isEmpty();
        assertThat(host.executive().pool().bytesInUse()).isZero();
    }

    @Test
    void aSleepingThreadLeftBehindShouldBeInterruptedAtUnload() throws Exception {
        host.load(DriverImage.of("Sleeping", SleepingThreadDriver.class));
        Held.thread.join(10_000);
        assertThat(Held.threadEnd.get()).isInstanceOf(InterruptedException.class);
        assertThat(host.bugChecks()).singleElement().satisfies(r -> {
            assertThat(r.bugCheck().code().code()).isEqualTo(0xCE);
            assertThat(r.phase()).isEqualTo("DriverEntry failed");
            assertThat(r.bugCheck().detail()).contains("(\"Sleeper\")");
            assertThat(r.bugCheck().getCause().getStackTrace()).anyMatch(e -> e.getMethodName().startsWith("sleep"));
        });
    }

    @Test
    void anExceptionAPlainDriverThreadDoesNotCatchShouldBeItsDriversBugCheck() throws Exception {
        host.load(DriverImage.of("Throwing", ThrowingThreadDriver.class));
        Held.thread.join(10_000);
        assertThat(host.bugChecks()).singleElement().satisfies(r -> {
            assertThat(r.owner().name()).isEqualTo("Throwing");
            assertThat(r.phase()).isEqualTo("Throwing: thread Thrower");
            assertThat(r.bugCheck().code().code()).isEqualTo(0x7E);
            assertThat(r.bugCheck().getCause()).hasMessage("a bug in the driver's own thread");
        });
    }

    private static void assert0xCE(Runnable call, int p1, int p2) {
        BugCheck b = catchThrowableOfType(BugCheck.class, call::run);
        assertThat(b).as("a bug check").isNotNull();
        assertThat(b.code().code()).as("%s", b).isEqualTo(0xCE);
        assertThat(b.parameter1()).as("%s", b).isEqualTo(Integer.toUnsignedLong(p1));
        assertThat(b.parameter2()).as("%s", b).isEqualTo(p2);
        assertThat(b.getMessage()).contains("Hoarding").contains("after it was unloaded");
    }
}
