package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.PoolTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An interrupt is a thread's own business: whoever is interrupted, and whenever, every pool of every
 * owner keeps serving, and the interrupted thread's status is kept for it. (The paged pool's page file
 * is a {@code FileChannel}, which an interrupt would close for everyone.)
 */
class PoolInterruptTest extends PoolFixture {

    private static final int TAG = PoolTag.of("tnI!");
    /** One size of each kind: small (a slab), a page class, whole pages, a huge block (a window of its own). */
    private static final long[] SIZES = {24, 4_080, 8_192, 60_000, 300_000, 2_500_000};

    @ParameterizedTest
    @ValueSource(ints = {NonPagedPool, PagedPool})
    void anInterruptedThreadShouldAllocateEverySizeAndKeepItsInterruptStatus(int poolType) {
        List<Integer> blocks = new ArrayList<>();
        Thread.currentThread().interrupt();
        try {
            for (int round = 0; round < 3; round++) { // more than one chunk of each kind: new windows are mapped
                for (long size : SIZES) {
                    int a = ex.ExAllocatePoolWithTag(poolType, size, TAG);
                    assertThat(a).as("%d bytes while interrupted", size).isNotZero();
                    memory.resolve(a, size).fill((byte) 7);
                    blocks.add(a);
                }
            }
            assertThat(Thread.currentThread().isInterrupted()).as("the thread's own interrupt status").isTrue();
        } finally {
            Thread.interrupted();
        }
        blocks.forEach(a -> ex.ExFreePoolWithTag(a, TAG));
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void anotherOwnerShouldAllocatePagedPoolAfterOneOwnersThreadWasInterrupted() throws Exception {
        Thread bad = new Thread(() -> {
            Thread.currentThread().interrupt();
            for (long size : SIZES) {
                pool.forDriver(newOwner("Interrupter")).ExAllocatePoolWithTag(PagedPool, size, TAG);
            }
        });
        bad.start();
        bad.join();
        for (int i = 0; i < 40; i++) { // 40 huge blocks: 40 new windows of the page file
            int a = ex.ExAllocatePoolWithTag(PagedPool, 2_500_000, TAG);
            assertThat(a).as("huge block %d after the interrupt", i).isNotZero();
            ex.ExFreePoolWithTag(a, TAG);
        }
    }

    @Test
    void interruptsArrivingDuringMappingsShouldNeitherFailThemNorHarmThePageFile() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        List<Integer> interruptedAt = new ArrayList<>();
        Thread allocator = new Thread(() -> {
            started.countDown();
            try {
                for (int i = 0; i < 200; i++) {
                    int a = ex.ExAllocatePoolWithTag(PagedPool, 1_100_000 + 4096L * (i % 7), TAG);
                    if (a == 0) {
                        throw new AssertionError("allocation " + i + " failed");
                    }
                    if (Thread.interrupted()) {
                        interruptedAt.add(i);
                    }
                    ex.ExFreePoolWithTag(a, TAG);
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.set(true);
            }
        });
        allocator.start();
        started.await();
        while (!done.get()) {
            allocator.interrupt();
            Thread.onSpinWait();
        }
        allocator.join();
        assertThat(failure.get()).isNull();
        assertThat(interruptedAt).as("interrupts reached the thread (its status was kept)").isNotEmpty();
        int a = ex.ExAllocatePoolWithTag(PagedPool, 2_500_000, TAG);
        assertThat(a).isNotZero();
        ex.ExFreePoolWithTag(a, TAG);
    }

    @Test
    void shutdownNowOfAnExecutorWhoseTasksAllocateShouldLeaveThePoolServing() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 8; i++) {
            workers.execute(() -> {
                for (int k = 0; k < 50; k++) {
                    int a = ex.ExAllocatePoolWithTag(PagedPool, 1_500_000, TAG);
                    if (a != 0) {
                        ex.ExFreePoolWithTag(a, TAG);
                    }
                }
            });
        }
        workers.shutdownNow();
        assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        int a = ex.ExAllocatePoolWithTag(PagedPool, 2_500_000, TAG);
        assertThat(a).isNotZero();
        ex.ExFreePoolWithTag(a, TAG);
    }

    @Test
    void aNewPoolShouldDeleteThePageFilesOfProcessesThatAreGone() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path orphan = Files.createFile(dataFolder.resolve("ringzero-pagefile-" + gone.pid() + "-0123456789abcdef.sys"));
        Path alive = Files.createFile(dataFolder.resolve("ringzero-pagefile-" + ProcessHandle.current().pid() + "-fedcba9876543210.sys"));
        Path other = Files.createFile(dataFolder.resolve("ringzero-pagefile-notapid.sys"));
        new ExecutivePoolComponent(java.util.Map.of(PoolConfig.DATA_FOLDER, dataFolder.toString())).close();
        assertThat(orphan).doesNotExist();
        assertThat(alive).as("this process's").exists();
        assertThat(other).as("not a page file name").exists();
    }
}
