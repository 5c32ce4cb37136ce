package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ReactOS's {@code ExPools} kernel-mode test (it runs on Windows too), case by case, against our pool.
 * x86 figures: {@code sizeof(PVOID)} is 4, so the small-block limit {@code PAGE_SIZE - 4 * sizeof(PVOID)}
 * is 4080 bytes.
 */
class ExPoolsTest extends PoolFixture {

    private static final int PAGE_SIZE = 4096;
    private static final int PVOID = 4;
    private static final int TAG_POOLTEST = PoolTag.of("tstP");
    private static final int MY_TAG = PoolTag.of("MyTa");
    /** What the test's helper returns for a page-aligned (big-page) block, whose header is not in front of it. */
    private static final int TOO_LARGE = PoolTag.of("TooL");

    @Override
    Map<String, Object> configuration() {
        return Map.of(PoolConfig.NON_PAGED_POOL_LIMIT, "64M", PoolConfig.PAGED_POOL_LIMIT, "64M");
    }

    /** KmtGetPoolTag: the tag in the header before a small block, or the sentinel for a page-aligned one. */
    private int poolTagOf(int address) {
        if ((address & (PAGE_SIZE - 1)) == 0) {
            return TOO_LARGE;
        }
        MemorySegment header = pool.engine().blocks.poolHeader(address);
        return header.get(ValueLayout.JAVA_INT, NtLayouts.FIELD_OFFSET(PoolHeader.POOL_HEADER, "PoolTag"));
    }

    @Test
    void shouldAllocateFillAndFreeIrregularSizesInBothPools() {
        for (int i = 1; i < 10000; i++) {
            long size = i * 10L;
            if (i % 10 != 0) {
                size++;
            }
            if (i % 25 != 0) {
                size += 13;
            }
            int p = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG_POOLTEST);
            assertThat(p).as("non-paged %d bytes", size).isNotZero();
            memory.resolve(p).fill((byte) 0xAB);
            ex.ExFreePoolWithTag(p, TAG_POOLTEST);
        }
        for (int i = 1; i < 10000; i += 7) {
            long size = i * 50L;
            if (i % 10 != 0) {
                size++;
            }
            if (i % 25 != 0) {
                size += 13;
            }
            int p = ex.ExAllocatePoolWithTag(PagedPool, size, TAG_POOLTEST);
            assertThat(p).as("paged %d bytes", size).isNotZero();
            memory.resolve(p).fill((byte) 0xAB);
            ex.ExFreePoolWithTag(p, TAG_POOLTEST);
        }
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldKeepOneHundredThousandSmallBlocksListedInAPagedArray() {
        int count = 100_000;
        int allocs = ex.ExAllocatePoolWithTag(PagedPool, (long) PVOID * count, TAG_POOLTEST);
        for (int i = 0; i < count; i++) {
            memory.writeInt(allocs + i * PVOID, ex.ExAllocatePoolWithTag(NonPagedPool, 42, TAG_POOLTEST));
        }
        assertThat(pool.bytesInUse()).isEqualTo(42L * count + PVOID * count);
        for (int i = 0; i < count; i++) {
            ex.ExFreePoolWithTag(memory.readInt(allocs + i * PVOID), TAG_POOLTEST);
        }
        ex.ExFreePoolWithTag(allocs, TAG_POOLTEST);
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldKeepTagsReadableUpToTheSmallBlockLimitOf4080Bytes() {
        int memory8 = ex.ExAllocatePoolWithTag(PagedPool, 8, MY_TAG);
        assertThat(poolTagOf(memory8)).isEqualTo(MY_TAG);
        ex.ExFreePoolWithTag(memory8, MY_TAG);

        for (long size : new long[] {PAGE_SIZE, PAGE_SIZE - 3 * PVOID, PAGE_SIZE - 4 * PVOID + 1}) {
            int m = ex.ExAllocatePoolWithTag(PagedPool, size, MY_TAG);
            assertThat(poolTagOf(m)).as("%d bytes is a big-page block", size).isEqualTo(TOO_LARGE);
            ex.ExFreePoolWithTag(m, MY_TAG);
        }

        int limit = ex.ExAllocatePoolWithTag(PagedPool, PAGE_SIZE - 4 * PVOID, MY_TAG);
        assertThat(poolTagOf(limit)).isEqualTo(MY_TAG);
        assertThat(SizeClasses.POOL_MAX_ALLOC).isEqualTo(4080);
        ex.ExFreePoolWithTag(limit, MY_TAG);
    }

    @Test
    void shouldReportBlockSizesAsExQueryPoolBlockSizeDoes() {
        int tag = PoolTag.of("tQbK");
        int small = ex.ExAllocatePoolWithTag(NonPagedPool, 8, tag);
        assertThat(ex.ExQueryPoolBlockSize(small)).isGreaterThanOrEqualTo(8);
        ex.ExFreePoolWithTag(small, tag);

        int listEntry = ex.ExAllocatePoolWithTag(PagedPool, NtLayouts.LIST_ENTRY.byteSize(), tag);
        assertThat(ex.ExQueryPoolBlockSize(listEntry)).isGreaterThanOrEqualTo(NtLayouts.LIST_ENTRY.byteSize());
        assertThat(listEntry % NtLayouts.LIST_ENTRY.byteSize()).isZero();
        ex.ExFreePoolWithTag(listEntry, tag);

        int page = ex.ExAllocatePoolWithTag(NonPagedPool, PAGE_SIZE, tag);
        assertThat(page % PAGE_SIZE).as("page-aligned").isZero();
        assertThat(ex.ExQueryPoolBlockSize(page)).isEqualTo(PAGE_SIZE);
        ex.ExFreePoolWithTag(page, tag);

        int twoPages = ex.ExAllocatePoolWithTag(NonPagedPool, PAGE_SIZE + 1, tag);
        assertThat(ex.ExQueryPoolBlockSize(twoPages)).isEqualTo(2 * PAGE_SIZE);
        assertThat(memory.resolve(twoPages).byteSize()).as("the segment stays bounded to the bytes asked for")
                .isEqualTo(PAGE_SIZE + 1);
        ex.ExFreePoolWithTag(twoPages, tag);
    }

    @Test
    void shouldAllocateWholePagesUntilTheLimitAndFreeThemAll() {
        int max = 1024 * 128;
        for (int poolType : new int[] {NonPagedPool, PagedPool}) {
            int array = ex.ExAllocatePoolWithTag(poolType, (long) max * PVOID, PoolTag.of("ABmK"));
            int n = 0;
            while (n < max) {
                int page = ex.ExAllocatePoolWithTag(poolType, PAGE_SIZE, PoolTag.of("aPmK"));
                if (page == 0) {
                    break;
                }
                memory.writeInt(array + n * PVOID, page);
                n++;
            }
            long arrayPages = (long) max * PVOID;
            assertThat((long) n * PAGE_SIZE).as("pages of %s", PoolType.baseName(poolType))
                    .isEqualTo((64L << 20) - arrayPages);
            for (int i = n - 1; i >= 0; i--) {
                ex.ExFreePoolWithTag(memory.readInt(array + i * PVOID), PoolTag.of("aPmK"));
            }
            ex.ExFreePoolWithTag(array, PoolTag.of("ABmK"));
            assertThat(ex.ExAllocatePoolWithTag(poolType, PAGE_SIZE, PoolTag.of("aPmK"))).as("room again").isNotZero();
        }
    }

    @Test
    void shouldFailATwoGigabyteRequestWithNullOrTheRaisedStatus() {
        assertThat(ex.ExAllocatePoolWithTag(PagedPool, 0x7FFF_FFFFL, PoolTag.of("tQmK"))).isZero();
        assertThatThrownBy(() -> ex.ExAllocatePoolWithTag(PagedPool | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE,
                0x7FFF_FFFFL, PoolTag.of("tQmK")))
                .isInstanceOfSatisfying(NtStatusException.class,
                        e -> assertThat(e.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES));
    }
}
