package dev.ringzero.api.lookaside;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolTag;
import org.junit.jupiter.api.Test;

class LookasideInfoTest {

    @Test
    void toStringShouldShowAddressesAndTagsAsTheDebuggerDoesNeverAsSignedDecimals() {
        LookasideInfo info = new LookasideInfo(0x8001_0010, new Owner("LookasideList", 3), "nt", 1, PoolTag.of("msaW"),
                20, 2, 4, 256, 10, 6, 10, 2);
        assertThat(info.toString()).isEqualTo("LookasideInfo[address=80010010, owner=LookasideList#3, implementation=nt,"
                + " type=0x0001 PagedPool, tag='Wasm' 0x6D736157, size=20, currentDepth=2, depth=4, maximumDepth=256,"
                + " totalAllocates=10, allocateMisses=6, totalFrees=10, freeMisses=2]");
        assertThat(info.toString()).doesNotContain("-2147418096");
    }
}
