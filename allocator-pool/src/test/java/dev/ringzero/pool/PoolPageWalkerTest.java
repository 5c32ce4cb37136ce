package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.spi.memory.PoolPage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code !pool} and {@code !poolfind}'s walk over real pool pages. */
class PoolPageWalkerTest extends PoolFixture {

    private static final int WASM = PoolTag.of("msaW");
    private static final int OTHER = PoolTag.of("rhtO");

    @Test
    void aSmallBlocksPageShouldListItsSlotsWithTheHeaderCountedInTheSize() {
        int a = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, 24, WASM);
        int b = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, 24, WASM);
        ex.ExFreePoolWithTag(b, WASM);

        PoolPage page = pool.poolPage(a + 5);

        assertThat(page.region()).isEqualTo("Nonpaged pool");
        assertThat(page.address()).isEqualTo(a & ~0xFFF);
        PoolPage.Block mine = page.blocks().stream().filter(x -> x.contains(a + 5)).findFirst().orElseThrow();
        assertThat(mine.address()).as("the row starts at the header").isEqualTo(a - PoolHeader.SIZE);
        assertThat(mine.dataAddress()).isEqualTo(a);
        assertThat(mine.size()).as("header + the 32-byte class").isEqualTo(PoolHeader.SIZE + 32);
        assertThat(mine.allocated()).isTrue();
        assertThat(mine.tag()).isEqualTo(WASM);
        assertThat(mine.bytes()).isEqualTo(24);
        assertThat(mine.owner()).isEqualTo(driver);
        PoolPage.Block freed = page.blocks().stream().filter(x -> x.dataAddress() == b).findFirst().orElseThrow();
        assertThat(freed.allocated()).isFalse();
        assertThat(freed.tag()).as("a free block keeps its last tag").isEqualTo(WASM);
        assertThat(freed.owner()).isNull();
        List<PoolPage.Block> blocks = page.blocks();
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i).address() - blocks.get(i - 1).address()).isEqualTo(blocks.get(i).size());
            assertThat(blocks.get(i).previousSize()).isEqualTo(blocks.get(i).size());
        }
    }

    @Test
    void aBlockOfWholePagesShouldBeOneLargeRowOnEachOfItsPages() {
        int big = ex.ExAllocatePoolWithTag(PoolType.PagedPool, 3 * 4096 - 100, WASM);

        PoolPage page = pool.poolPage(big + 2 * 4096 + 1);

        assertThat(page.region()).isEqualTo("Paged pool");
        assertThat(page.address()).isEqualTo(big);
        assertThat(page.blocks()).singleElement().satisfies(x -> {
            assertThat(x.large()).isTrue();
            assertThat(x.size()).isEqualTo(3 * 4096);
            assertThat(x.bytes()).isEqualTo(3 * 4096 - 100);
            assertThat(x.allocated()).isTrue();
        });
    }

    @Test
    void anAddressOutsideThePoolsHasNoPage() {
        assertThat(pool.poolPage(0x10)).isNull();
        assertThat(pool.poolPage(0x7FFF_F000)).isNull();
    }

    @Test
    void poolfindShouldFindLiveAndFreeBlocksByTagWithWildcardsInOnePool() {
        int a = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, 40, WASM);
        int b = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, 40, WASM);
        int c = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, 40, OTHER);
        int d = ex.ExAllocatePoolWithTag(PoolType.PagedPool, 40, WASM);
        ex.ExFreePoolWithTag(b, WASM);

        List<PoolPage.Block> nonPaged = pool.findBlocks("Wasm", 0);
        assertThat(nonPaged).extracting(PoolPage.Block::dataAddress).containsExactly(a, b);
        assertThat(nonPaged).extracting(PoolPage.Block::allocated).containsExactly(true, false);
        assertThat(pool.findBlocks("W?s*", 1)).extracting(PoolPage.Block::dataAddress).containsExactly(d);
        assertThat(pool.findBlocks("Oth*", 0)).extracting(PoolPage.Block::dataAddress).containsExactly(c);
        assertThat(pool.findBlocks("Wasm", 2)).as("nothing in special pool").isEmpty();
        assertThatThrownBy(() -> pool.findBlocks("Wasm", 4)).hasMessage("pool type 4: 0 (non-paged), 1 (paged) or 2 (special pool)");
        assertThatThrownBy(() -> pool.findBlocks("Toolong", 0)).hasMessageStartingWith("tag pattern 'Toolong'");
    }

    @Test
    void specialPoolBlocksShouldBeFoundInPoolTwo() {
        pool.setSpecialPool(driver, true);
        int s = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, 100, WASM);

        assertThat(pool.findBlocks("Wasm", 2)).singleElement().satisfies(x -> assertThat(x.dataAddress()).isEqualTo(s));
        assertThat(pool.poolPage(s).region()).isEqualTo("Special pool");
        assertThat(pool.poolPage(s).blocks()).singleElement().satisfies(x -> assertThat(x.bytes()).isEqualTo(100));
    }
}
