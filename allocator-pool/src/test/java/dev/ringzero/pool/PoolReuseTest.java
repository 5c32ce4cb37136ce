package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Free blocks and pages find their way back to the next request (issue 26, found by mutation testing): a full
 * magazine's overflow, an ended thread's magazines, the pages of slabs whose blocks are all free, the blocks the host
 * reclaims from a driver, and the depots' bound on page blocks. Small pools (four slabs each), so that "everything"
 * is a few thousand blocks.
 */
class PoolReuseTest extends PoolFixture {

    private static final int TAG = PoolTag.of("esuR");
    private static final long LIMIT = 4 * SizeClasses.SLAB_SIZE;

    @Override
    Map<String, Object> configuration() {
        return Map.of(PoolConfig.NON_PAGED_POOL_LIMIT, LIMIT, PoolConfig.PAGED_POOL_LIMIT, LIMIT);
    }

    private static List<Integer> allocateAll(PoolAllocator a, int poolType, long size) {
        List<Integer> blocks = new ArrayList<>();
        int b;
        while ((b = a.ExAllocatePoolWithTag(poolType, size, TAG)) != 0) {
            blocks.add(b);
        }
        return blocks;
    }

    private void freeAll(List<Integer> blocks) {
        for (int b : blocks) {
            ex.ExFreePoolWithTag(b, TAG);
        }
    }

    private static int slabsOf(int size) {
        return (int) (LIMIT / SizeClasses.SLAB_SIZE) * SizeClasses.SLOTS[SizeClasses.classOf(size)];
    }

    @ParameterizedTest
    @ValueSource(ints = {NonPagedPool, PagedPool})
    void shouldServeAgainEveryBlockAndPageOfAPoolFilledAndEmptied(int poolType) {
        List<Integer> small = allocateAll(ex, poolType, 64);
        assertThat(small).hasSize(slabsOf(64));
        freeAll(small); // far more than a magazine holds: the overflow goes to the depot
        List<Integer> again = allocateAll(ex, poolType, 64);
        assertThat(again).as("every block came back").hasSize(slabsOf(64));
        freeAll(again);
        // the slabs of 64-byte blocks, all free, go back to the pages for another size (tag already checked)
        List<Integer> larger = allocateAll(ex, poolType, 1000);
        assertThat(larger).hasSize(slabsOf(1000));
        freeAll(larger);
        // and the slabs again for blocks that take pages of their own
        long big = (SizeClasses.PAGE_CLASSES + 2) * 4096L;
        List<Integer> bigs = allocateAll(ex, poolType, big);
        assertThat(bigs).hasSize((int) (LIMIT / big));
        freeAll(bigs);
        assertThat(pool.bytesInUse()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {NonPagedPool, PagedPool})
    void shouldHandTheBlocksAnEndedThreadFreedToTheNextRequestThatFindsNoPages(int poolType) throws InterruptedException {
        List<Integer> all = allocateAll(ex, poolType, 64);
        List<Integer> theirs = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 2) {
            theirs.add(all.get(i)); // every other block: no slab is ever all free
        }
        Thread t = Thread.ofPlatform().start(() -> freeAll(theirs));
        t.join();
        List<Integer> again = allocateAll(ex, poolType, 64);
        assertThat(again).as("the blocks the ended thread freed, every one").hasSize(theirs.size())
                .containsExactlyInAnyOrderElementsOf(theirs);
    }

    @Test
    void shouldGiveTheHostsReclaimedBlocksToTheNextRequestsOfTheirSizes() {
        Owner gone = newOwner("Unloaded");
        PoolAllocator g = pool.forDriver(gone);
        long[] sizes = {64, 1000, 8_192, 20_000};
        int[] blocks = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            blocks[i] = g.ExAllocatePoolWithTag(NonPagedPool, sizes[i], TAG);
        }
        assertThat(pool.reclaim(gone)).isEqualTo(sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            int b = ex.ExAllocatePoolWithTag(NonPagedPool, sizes[i], TAG);
            assertThat(b).as("a block of %d bytes", sizes[i]).isEqualTo(blocks[i]);
            assertThat(memory.resolve(b).byteSize()).isEqualTo(sizes[i]);
        }
    }

    @Test
    void shouldGiveTheHostsReclaimedBigBlocksPagesBackAndKeepPageClassBlocksCached() {
        Owner gone = newOwner("Unloaded");
        PoolAllocator g = pool.forDriver(gone);
        long largestClass = SizeClasses.PAGE_CLASSES * 4096L;
        g.ExAllocatePoolWithTag(PagedPool, largestClass, TAG);
        long committed = pool.committedBytes(PagedPool);
        int big = g.ExAllocatePoolWithTag(PagedPool, largestClass + 4096, TAG);
        assertThat(pool.committedBytes(PagedPool)).isEqualTo(committed + largestClass + 4096);
        assertThat(pool.reclaim(gone)).isEqualTo(2);
        assertThat(pool.committedBytes(PagedPool)).as("the page-class block stays cached, the big one's pages go")
                .isEqualTo(committed);
        assertThat(pool.forDriver(newOwner("Next")).ExAllocatePoolWithTag(PagedPool, largestClass + 4096, TAG))
                .as("its pages, free again").isEqualTo(big);
    }

    @Test
    void shouldForgetAReclaimedBlocksSiteAndLookasideMarks() {
        Owner gone = newOwner("Unloaded");
        pool.setVerified(gone, true);
        int a = pool.forDriver(gone).ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        pool.setLookasideMark(a + 8, true);
        assertThat(pool.outstanding(gone)).singleElement().satisfies(i -> assertThat(i.allocationSite()).isNotNull());
        pool.reclaim(gone);

        int b = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        assertThat(b).as("the reclaimed block, reused").isEqualTo(a);
        assertThat(pool.outstanding(driver)).singleElement()
                .satisfies(i -> assertThat(i.allocationSite()).as("no site of the block's former owner").isNull());
        assertThat(pool.hasLookasideMark(b)).isFalse();
        pool.setLookasideMark(b + 16, true);
        pool.setLookasideMark(b + 16, false);
        assertThat(pool.hasLookasideMark(b)).as("no mark left of the block's former owner").isFalse();
    }

    @Test
    void shouldServeARequestOfExactlyThePoolsLimit() {
        int a = ex.ExAllocatePoolWithTag(PagedPool, LIMIT, TAG);
        assertThat(a).isNotZero();
        assertThat(memory.resolve(a).byteSize()).isEqualTo(LIMIT);
        ex.ExFreePoolWithTag(a, TAG);
        assertThat(ex.ExAllocatePoolWithTag(PagedPool, LIMIT + 1, TAG)).isZero();
    }

    @Test
    void shouldRecordAFailedAllocationAsAJfrEvent() throws Exception {
        Path file = dataFolder.resolve("failure.jfr");
        try (Recording r = new Recording()) {
            r.enable("dev.ringzero.PoolAllocationFailure");
            r.start();
            assertThat(ex.ExAllocatePoolWithTag(PagedPool, LIMIT + 1, TAG)).isZero();
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLong("numberOfBytes")).isEqualTo(LIMIT + 1);
            assertThat(e.getString("tag")).isEqualTo(PoolTag.toString(TAG));
        });
    }
}
