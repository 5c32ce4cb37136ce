package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.CFormat;
import dev.ringzero.api.Irql;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The system address space: resolving, bounds, wild and stale addresses, alignment, the page file. */
class AddressSpaceTest extends PoolFixture {

    private static final int TAG = PoolTag.of("sddA");

    private int allocate(int poolType, long size) {
        int a = ex.ExAllocatePoolWithTag(poolType, size, TAG);
        assertThat(a).isNotZero();
        return a;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 13, 64, 4080, 4081, 10_000, 65_536, 200_000, 600_000})
    void shouldResolveToASegmentOfExactlyTheBytesAskedFor(long size) {
        for (int poolType : new int[] {NonPagedPool, PagedPool}) {
            int a = allocate(poolType, size);
            assertThat(Integer.compareUnsigned(a, poolType == PagedPool ? SystemMemory.PAGED_POOL_START
                    : SystemMemory.NON_PAGED_POOL_START)).isGreaterThanOrEqualTo(0);
            MemorySegment s = memory.resolve(a);
            assertThat(s.byteSize()).isEqualTo(size);
            assertThat(memory.resolve(a + (int) size / 2).byteSize()).isEqualTo(size - size / 2);
            assertThat(memory.resolve(a, size).byteSize()).isEqualTo(size);
            assertThatThrownBy(() -> s.get(ValueLayout.JAVA_BYTE, size)).isInstanceOf(IndexOutOfBoundsException.class);
            assertBugCheck(bugCheck(() -> memory.resolve(a, size + 1)), 0x50, u(a), 0, 0, 0);
            assertBugCheck(bugCheck(() -> memory.resolve(a + (int) size)), 0x50, u(a + (int) size), 0, 0, 0);
            ex.ExFreePool(a);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0000_0000, 0x0040_1000, 0x7FFF_FFFC, 0x8000_0000, 0x9000_0000, 0xBFFF_FFFC, 0xC000_0000,
            0xFFFF_FFFC})
    void shouldBugCheck50ForAWildAddress(int address) {
        allocate(NonPagedPool, 64);
        assertBugCheck(bugCheck(() -> memory.resolve(address)), 0x50, u(address), 0, 0, 0);
        assertBugCheck(bugCheck(() -> memory.readInt(address)), 0x50, u(address), 0, 0, 0);
        assertBugCheck(bugCheck(() -> memory.writeInt(address, 7)), 0x50, u(address), 1, 0, 0);
        assertThat(memory.isValid(address)).isFalse();
    }

    @Test
    void shouldBugCheck50ForAHeaderOrAFreedBlock() {
        int a = allocate(NonPagedPool, 64);
        assertBugCheck(bugCheck(() -> memory.readInt(a - 4)), 0x50, u(a - 4), 0, 0, 0);
        memory.writeInt(a, 0x1234_5678);
        ex.ExFreePool(a);
        assertBugCheck(bugCheck(() -> memory.resolve(a)), 0x50, u(a), 0, 0, 0);
        assertBugCheck(bugCheck(() -> memory.readInt(a)), 0x50, u(a), 0, 0, 0);
        assertThat(memory.isValid(a)).isFalse();
        assertThat(memory.peekInt(a)).as("a racy peek still reads the freed memory").isEqualTo(0x1234_5678);
    }

    @Test
    void shouldBugCheckD1ForPagedPoolTouchedAtDispatchLevelAndAbove() {
        int paged = allocate(PagedPool, 64);
        int nonPaged = allocate(NonPagedPool, 64);
        int old = Irql.KeRaiseIrql(Irql.APC_LEVEL);
        memory.writeInt(paged, 1); // paged pool is fine up to APC_LEVEL
        Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        assertBugCheck(bugCheck(() -> memory.resolve(paged)), 0xD1, u(paged), 2, 0, 0);
        assertBugCheck(bugCheck(() -> memory.resolve(paged + 8, 4)), 0xD1, u(paged + 8), 2, 0, 0);
        assertBugCheck(bugCheck(() -> memory.readInt(paged)), 0xD1, u(paged), 2, 0, 0);
        assertBugCheck(bugCheck(() -> memory.writeInt(paged, 2)), 0xD1, u(paged), 2, 1, 0);
        assertThat(bugCheck(() -> memory.readInt(paged)).getMessage()).contains("DISPATCH_LEVEL");
        memory.writeInt(nonPaged, 3); // non-paged pool is fine at DISPATCH_LEVEL
        assertThat(memory.isValid(paged)).as("MmIsAddressValid may be asked at DISPATCH_LEVEL").isTrue();
        Irql.KeRaiseIrql(Irql.HIGH_LEVEL);
        assertBugCheck(bugCheck(() -> memory.readInt(paged)), 0xD1, u(paged), 31, 0, 0);
        Irql.KeLowerIrql(old);
        assertThat(memory.readInt(paged)).isEqualTo(1);
        assertThat(memory.readInt(nonPaged)).isEqualTo(3);
    }

    @Test
    void shouldBugCheckD1ForAnInvalidAddressTouchedAtDispatchLevelAndAbove() {
        int a = allocate(NonPagedPool, 64);
        ex.ExFreePool(a);
        int never = 0x0000_1000;
        int old = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        try {
            assertBugCheck(bugCheck(() -> memory.resolve(a)), 0xD1, u(a), 2, 0, 0);
            assertBugCheck(bugCheck(() -> memory.readInt(never)), 0xD1, u(never), 2, 0, 0);
            assertBugCheck(bugCheck(() -> memory.writeInt(a, 7)), 0xD1, u(a), 2, 1, 0);
            assertThat(bugCheck(() -> memory.readInt(a)).getMessage()).contains("not in a live block", "DISPATCH_LEVEL");
            Irql.KeRaiseIrql(Irql.HIGH_LEVEL);
            assertBugCheck(bugCheck(() -> memory.resolve(never, 4)), 0xD1, u(never), 31, 0, 0);
        } finally {
            Irql.KeLowerIrql(old);
        }
        assertBugCheck(bugCheck(() -> memory.readInt(a)), 0x50, u(a), 0, 0, 0);
    }

    @Test
    void shouldBugCheck50ForAMisalignedIntAccess() {
        int a = allocate(NonPagedPool, 64);
        assertBugCheck(bugCheck(() -> memory.readInt(a + 2)), 0x50, u(a + 2), 0, 0, 0);
        assertBugCheck(bugCheck(() -> memory.writeInt(a + 1, 0)), 0x50, u(a + 1), 1, 0, 0);
        assertThat(memory.resolve(a + 1, 4).byteSize()).as("a segment may start anywhere in the block").isEqualTo(4);
    }

    @Test
    void shouldPeekWithoutBugCheckAnywhere() {
        assertThat(memory.peekInt(0x0000_1000)).isZero();
        assertThat(memory.peekInt(0x9FFF_0000)).isZero();
        int huge = allocate(NonPagedPool, 2 << 20);
        memory.writeInt(huge, 42);
        assertThat(memory.peekInt(huge)).isEqualTo(42);
        ex.ExFreePool(huge);
        assertThat(memory.peekInt(huge)).as("a huge block's memory is gone after free").isZero();
    }

    @Test
    void shouldKeepNativeAlignmentEqualToSystemAlignment() {
        for (long size : new long[] {8, 24, 64, 100, 300, 1000, 4000, 4080, 5000, 40_000, 300_000}) {
            for (int poolType : new int[] {NonPagedPool, PagedPool}) {
                int a = allocate(poolType, size);
                assertThat(a & 15).as("16-byte aligned block of %d", size).isZero();
                long nativeAddress = memory.resolve(a).address();
                assertThat(nativeAddress & 15).isZero();
            }
        }
    }

    @Test
    void shouldMapASegmentBackToItsSystemAddress() {
        int a = allocate(PagedPool, 500);
        MemorySegment s = memory.resolve(a);
        assertThat(memory.addressOf(s)).isEqualTo(a);
        assertThat(memory.addressOf(s.asSlice(100, 16))).isEqualTo(a + 100);
        int huge = allocate(NonPagedPool, 600_000);
        assertThat(memory.addressOf(memory.resolve(huge).asSlice(4096))).isEqualTo(huge + 4096);

        assertThatThrownBy(() -> memory.addressOf(MemorySegment.ofArray(new byte[8])))
                .isInstanceOf(IllegalArgumentException.class);
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> memory.addressOf(arena.allocate(16)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
        }
    }

    @Test
    void shouldNotResolveSegmentsOfAnotherPool() {
        try (ExecutivePoolComponent other = new ExecutivePoolComponent(Map.of(PoolConfig.DATA_FOLDER, dataFolder.toString()))) {
            int b = other.forDriver(driver).ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
            MemorySegment foreign = other.memory().resolve(b);
            assertThatThrownBy(() -> memory.addressOf(foreign)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldPrintAnAddressWithPercent08XAndResolveItBack() {
        int a = allocate(NonPagedPool, 0x68);
        String printed = CFormat.sprintf("%08X", a);
        assertThat(printed).hasSize(8).startsWith("8");
        int parsed = Integer.parseUnsignedInt(printed, 16);
        assertThat(parsed).isEqualTo(a);
        assertThat(memory.resolve(parsed).address()).isEqualTo(memory.resolve(a).address());
        assertThat(pool.queryBlock(parsed).address()).isEqualTo(a);
    }

    @Test
    void shouldReserveChunksOnlyWhenBlocksNeedThem() throws IOException {
        PoolEngine engine = pool.engine();
        assertThat(Arrays.stream(engine.memory.table).filter(Objects::nonNull).count()).isZero();
        assertThat(Files.size(pool.pageFile())).isZero();
        allocate(NonPagedPool, 64);
        allocate(NonPagedPool, 8192);
        assertThat(Arrays.stream(engine.memory.table).filter(Objects::nonNull).count()).isEqualTo(1);
        allocate(PagedPool, 64);
        assertThat(Arrays.stream(engine.memory.table).filter(Objects::nonNull).count()).isEqualTo(2);
        assertThat(Files.size(pool.pageFile())).as("one chunk of the sparse page file").isEqualTo(1L << 20);
        int twoPageBatch = SizeClasses.MAGAZINE[SizeClasses.pageClass(2)] / 2; // carved at once for a thread's magazine
        assertThat(pool.committedBytes(NonPagedPool)).as("one slab and a batch of two-page blocks")
                .isEqualTo(SizeClasses.SLAB_SIZE + twoPageBatch * 8192L);
    }

    @Test
    void shouldOwnItsPageFileAndDeleteItAtClose() throws IOException {
        Path file = pool.pageFile();
        assertThat(file.getParent()).isEqualTo(dataFolder);
        assertThat(file.getFileName().toString()).startsWith("ringzero-pagefile-").endsWith(".sys");
        allocate(PagedPool, 100);
        try (ExecutivePoolComponent second = new ExecutivePoolComponent(Map.of(PoolConfig.DATA_FOLDER, dataFolder.toString()))) {
            assertThat(second.pageFile()).isNotEqualTo(file);
            assertThat(Files.exists(second.pageFile())).isTrue();
        }
        pool.close();
        assertThat(Files.exists(file)).isFalse();
        try (var files = Files.list(dataFolder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shouldUseTheConfiguredChunkSize() {
        Map<String, Object> config = new HashMap<>();
        config.put(PoolConfig.DATA_FOLDER, dataFolder.toString());
        config.put(PoolConfig.CHUNK_SIZE, 8 << 20);
        try (ExecutivePoolComponent big = new ExecutivePoolComponent(config)) {
            assertThat(big.engine().memory.chunkBits).isEqualTo(23);
            assertThat(big.engine().memory.table).hasSize(512);
        }
        assertThatThrownBy(() -> new ExecutivePoolComponent(Map.of(PoolConfig.CHUNK_SIZE, "3M")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
    }
}
