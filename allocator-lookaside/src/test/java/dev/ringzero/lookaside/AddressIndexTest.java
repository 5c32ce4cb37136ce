package dev.ringzero.lookaside;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.tck.TestExecutivePool;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AddressIndex}: every registered address found, every other one not, for tables of every size the
 * registry builds — including probes that wrap past the table's last slot, and the table just before and after
 * it doubles.
 */
class AddressIndexTest {

    TestExecutivePool executive;
    PoolAllocator pool;

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
        pool = executive.forDriver(new Owner("Indexed", 4));
    }

    @AfterEach
    void tearDown() {
        executive.close();
    }

    /** A list at {@code address}: only its address matters to the index (no system, no cache). */
    RegisteredList at(int address) {
        return new RegisteredList(address, new Owner("Indexed", 4), pool, ListKind.NPAGED, false, MemorySegment.NULL, 0,
                (t, s, g, l) -> 0, (e, l) -> { }, null);
    }

    @Test
    void theEmptyIndexFindsNothing() {
        assertThat(AddressIndex.EMPTY.get(0x8000_1000)).isNull();
        assertThat(AddressIndex.of(List.of()).get(0)).isNull();
    }

    @Test
    void findsEveryRegisteredAddressAndNoOtherForEverySizeUpTo70() {
        Random random = new Random(26);
        for (int size = 1; size <= 70; size++) {
            for (int round = 0; round < 20; round++) {
                Set<Integer> addresses = new HashSet<>();
                while (addresses.size() < size) {
                    // 8-aligned header addresses in a small range: collisions and wrapping probes are frequent
                    addresses.add(0x8000_0000 + 8 * random.nextInt(4 * size + 8));
                }
                List<RegisteredList> lists = new ArrayList<>();
                addresses.forEach(a -> lists.add(at(a)));
                AddressIndex index = AddressIndex.of(lists);
                for (RegisteredList l : lists) {
                    assertThat(index.get(l.address)).as("size %d: %08X", size, l.address).isSameAs(l);
                }
                for (int probe = 0; probe < 4 * size + 8; probe++) {
                    int a = 0x8000_0000 + 8 * probe;
                    if (!addresses.contains(a)) {
                        assertThat(index.get(a)).as("size %d: %08X is not registered", size, a).isNull();
                    }
                }
            }
        }
    }
}
