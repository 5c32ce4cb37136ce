package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.memory.ExecutivePool.PoolUsedSort;
import dev.ringzero.spi.memory.PoolBlockInfo;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-tag accounting, the debugger's views, leak reports with allocation sites, reclaim. */
class PoolAccountingTest extends PoolFixture {

    private static final int WASM = PoolTag.of("msaW");
    private static final int REGM = PoolTag.of("mgeR");

    private static int nextLine() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow()).getLineNumber() + 1;
    }

    @Test
    void shouldCountAllocationsFreesAndBytesPerTagAndPool() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 100, WASM);
        int b = ex.ExAllocatePoolWithTag(NonPagedPool, 28, WASM);
        int c = ex.ExAllocatePoolWithTag(PagedPool, 1024, REGM);
        int d = ex.ExAllocatePoolWithTag(PagedPool, 5000, WASM);
        ex.ExFreePoolWithTag(b, WASM);
        assertThat(pool.usage()).containsExactly(
                new PoolTagUsage(REGM, true, 1, 0, 1024),
                new PoolTagUsage(WASM, false, 2, 1, 100),
                new PoolTagUsage(WASM, true, 1, 0, 5000));
        assertThat(pool.bytesInUse()).isEqualTo(100 + 1024 + 5000);
        ex.ExFreePool(a);
        ex.ExFreePool(c);
        ex.ExFreePool(d);
        assertThat(pool.bytesInUse()).isZero();
        assertThat(pool.usage()).allSatisfy(u -> assertThat(u.outstanding()).isZero());
    }

    @Test
    void shouldTagExAllocatePoolWithNone() {
        int a = ex.ExAllocatePool(PagedPool, 40);
        assertThat(pool.usage()).singleElement().satisfies(u -> {
            assertThat(u.tagName()).isEqualTo("None");
            assertThat(u.tag()).isEqualTo(PoolTag.NONE);
        });
        assertThat(pool.queryBlock(a).tag()).isEqualTo(PoolTag.NONE);
        ex.ExFreePool(a);
    }

    @Test
    void shouldRenderPoolUsedAsTheKernelDebuggerDoes() {
        ex.ExAllocatePoolWithTag(NonPagedPool, 100, WASM);
        ex.ExAllocatePoolWithTag(NonPagedPool, 28, WASM);
        ex.ExAllocatePoolWithTag(PagedPool, 1024, REGM);
        ex.ExAllocatePoolWithTag(PagedPool, 3000, REGM);
        String binary = " Binary: " + driver;   // one space after the number: never "0Binary"
        assertThat(pool.renderPoolUsed(PoolUsedSort.TAG, null)).isEqualTo("""
                   Sorting by  Tag

                  Pool Used:
                            NonPaged            Paged
                 Tag    Allocs     Used    Allocs     Used
                 Regm        0        0         2     4024%s
                 Wasm        2      128         0        0%s
                 TOTAL           2       128         2     4024
                """.formatted(binary, binary));
        assertThat(pool.renderPoolUsed(PoolUsedSort.NONPAGED, "*")).startsWith("   Sorting by  NonPaged Pool Consumed\n")
                .containsSubsequence(" Wasm", " Regm");
        assertThat(pool.renderPoolUsed(PoolUsedSort.PAGED, null)).startsWith("   Sorting by  Paged Pool Consumed\n")
                .containsSubsequence(" Regm", " Wasm");
        assertThat(pool.renderPoolUsed(PoolUsedSort.TAG, "W*")).contains(" Wasm").doesNotContain(" Regm");
        assertThat(pool.renderPoolUsed(PoolUsedSort.TAG, "?egm")).contains(" Regm").doesNotContain(" Wasm");
        assertThat(pool.renderPoolUsed(PoolUsedSort.TAG, "wasm")).as("case-sensitive").doesNotContain(" Wasm");
    }

    @Test
    void shouldRenderPoolMonWithChangesSinceTheLastDisplay() {
        int a = ex.ExAllocatePoolWithTag(PagedPool, 4571, REGM);
        pool.renderPoolMon();
        ex.ExAllocatePoolWithTag(PagedPool, 4571, REGM);
        ex.ExFreePoolWithTag(a, REGM);
        String text = pool.renderPoolMon();
        assertThat(text.lines().findFirst().orElseThrow()).contains("Tag").contains("Type").contains("Allocs")
                .contains("Frees").contains("Diff").contains("Bytes").contains("Per Alloc");
        assertThat(text).contains(" Regm Paged         2 (     1)         1 (     1)        1       4571 (     0)      4571");
    }

    @Test
    void shouldNameTheLineThatAllocatedALeakedBlockWhenVerified() {
        pool.setVerified(driver, true);
        int line = nextLine();
        int leaked = ex.ExAllocatePoolWithTag(NonPagedPool, 0x68, WASM);
        int freed = ex.ExAllocatePoolWithTag(NonPagedPool, 16, WASM);
        ex.ExFreePoolWithTag(freed, WASM);
        List<PoolBlockInfo> leaks = pool.outstanding(driver);
        assertThat(leaks).singleElement().satisfies(info -> {
            assertThat(info.address()).isEqualTo(leaked);
            assertThat(info.size()).isEqualTo(0x68);
            assertThat(info.tag()).isEqualTo(WASM);
            assertThat(info.owner()).isEqualTo(driver);
            assertThat(info.allocationSite().getClassName()).isEqualTo(PoolAccountingTest.class.getName());
            assertThat(info.allocationSite().getMethodName()).isEqualTo("shouldNameTheLineThatAllocatedALeakedBlockWhenVerified");
            assertThat(info.allocationSite().getLineNumber()).isEqualTo(line);
            assertThat(info.toString()).contains(String.format("%08X", leaked)).contains("Wasm").contains("NonPagedPool")
                    .contains("PoolAccountingTest.java:" + line);
        });
    }

    @Test
    void shouldForgetTheSiteOfAFreedBlockSoTheNextBlockThereShowsNone() {
        pool.setVerified(driver, true);
        int first = ex.ExAllocatePoolWithTag(NonPagedPool, 16, WASM); // its site recorded, its header flagged for it
        ex.ExFreePoolWithTag(first, WASM);
        pool.setVerified(driver, false);
        int again = ex.ExAllocatePoolWithTag(NonPagedPool, 16, WASM);
        assertThat(again).as("the freed block, reused (the magazine is LIFO)").isEqualTo(first);
        assertThat(pool.outstanding(driver)).singleElement()
                .satisfies(info -> assertThat(info.allocationSite()).as("a stale site from the freed block").isNull());
    }

    @Test
    void shouldListLeaksWithoutASiteWhenNotVerified() {
        int a = ex.ExAllocatePoolWithTag(PagedPool, 70_000, WASM);
        assertThat(pool.outstanding(driver)).singleElement().satisfies(info -> {
            assertThat(info.address()).isEqualTo(a);
            assertThat(info.allocationSite()).isNull();
            assertThat(info.poolType()).isEqualTo(PagedPool);
        });
        assertThat(pool.outstanding(newOwner("Nobody"))).isEmpty();
    }

    @Test
    void shouldReclaimEveryBlockOfOneOwnerOnly() {
        Owner otherOwner = newOwner("Other");
        PoolAllocator other = pool.forDriver(otherOwner);
        int kept = other.ExAllocatePoolWithTag(NonPagedPool, 64, REGM);
        for (long size : new long[] {1, 64, 4080, 4096, 9000, 100_000, 2 << 20}) {
            ex.ExAllocatePoolWithTag(NonPagedPool, size, WASM);
            ex.ExAllocatePoolWithTag(PagedPool, size, WASM);
        }
        int marked = ex.ExAllocatePoolWithTag(NonPagedPool, 0x68, WASM);
        pool.setLookasideMark(marked, true);
        assertThat(pool.reclaim(driver)).isEqualTo(15);
        assertThat(pool.outstanding(driver)).isEmpty();
        assertThat(pool.outstanding(otherOwner)).extracting(PoolBlockInfo::address).containsExactly(kept);
        assertThat(pool.bytesInUse()).isEqualTo(64);
        assertThat(pool.reclaim(driver)).isZero();
    }

    @Test
    void shouldKeepTheCountsOfAThreadThatEnded() throws InterruptedException {
        int[] block = new int[1];
        Thread t = Thread.ofPlatform().start(() -> block[0] = ex.ExAllocatePoolWithTag(NonPagedPool, 300, WASM));
        t.join();
        ex.ExFreePoolWithTag(block[0], WASM);
        assertThat(pool.usage()).containsExactly(new PoolTagUsage(WASM, false, 1, 1, 0));
        int again = ex.ExAllocatePoolWithTag(NonPagedPool, 300, WASM);
        assertThat(again).isNotZero();
    }

    @Test
    void shouldShareViewsPerOwnerAndReportVerification() {
        assertThat(pool.forDriver(driver)).isSameAs(ex);
        assertThat(ex.owner()).isEqualTo(driver);
        assertThat(ex.memory()).isSameAs(memory);
        assertThat(ex.isVerified()).isFalse();
        pool.setVerifiedByDefault(true);
        assertThat(ex.isVerified()).isTrue();
        pool.setVerified(driver, false);
        assertThat(ex.isVerified()).isFalse();
        assertThat(pool.isVerified(newOwner("Fresh"))).isTrue();
        pool.setVerifiedByDefault(false);
        assertThat(pool.isVerified(driver)).isFalse();
    }
}
