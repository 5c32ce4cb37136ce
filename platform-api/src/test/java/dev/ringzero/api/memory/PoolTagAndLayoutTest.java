package dev.ringzero.api.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PoolTagAndLayoutTest {

    @Test
    void shouldPackATagLiteralLikeTheCCompilerAndDisplayItInMemoryOrder() {
        int tag = PoolTag.of("msaW");
        assertThat(tag).isEqualTo(0x6D736157);
        assertThat(PoolTag.toString(tag)).isEqualTo("Wasm");
        assertThat(PoolTag.fromDisplay("Wasm")).isEqualTo(tag);
        assertThat(PoolTag.toString(0x454e4957)).isEqualTo("WINE");
        assertThat(PoolTag.toString(PoolTag.NONE)).isEqualTo("None");
    }

    @Test
    void shouldCompareTagsWithoutTheProtectedBit() {
        int tag = PoolTag.of("msaW");
        assertThat(PoolTag.matches(tag | PoolTag.PROTECTED_POOL, tag)).isTrue();
        assertThat(PoolTag.toString(tag | PoolTag.PROTECTED_POOL)).isEqualTo("Wasm");
        assertThat(PoolTag.isPrintable(PoolTag.of("    "))).isFalse();
    }

    @Test
    void shouldRejectBadTagLiteralsNamingThem() {
        assertThatThrownBy(() -> PoolTag.of("toolong")).hasMessageContaining("'toolong'");
        assertThatThrownBy(() -> PoolTag.of("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldHaveX86StructureSizesAndOffsets() {
        assertThat(NtLayouts.LIST_ENTRY.byteSize()).isEqualTo(8);
        assertThat(NtLayouts.SLIST_HEADER.byteSize()).isEqualTo(8);
        assertThat(NtLayouts.GENERAL_LOOKASIDE.byteSize()).isEqualTo(0x48);
        assertThat(NtLayouts.PAGED_LOOKASIDE_LIST.byteSize()).isEqualTo(0x68);
        assertThat(NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize()).isEqualTo(0x50);
        assertThat(NtLayouts.FIELD_OFFSET(NtLayouts.GENERAL_LOOKASIDE, "Depth")).isEqualTo(0x08);
        assertThat(NtLayouts.FIELD_OFFSET(NtLayouts.GENERAL_LOOKASIDE, "TotalAllocates")).isEqualTo(0x0C);
        assertThat(NtLayouts.FIELD_OFFSET(NtLayouts.GENERAL_LOOKASIDE, "Type")).isEqualTo(0x1C);
        assertThat(NtLayouts.FIELD_OFFSET(NtLayouts.GENERAL_LOOKASIDE, "ListEntry")).isEqualTo(0x30);
        assertThat(NtLayouts.FIELD_OFFSET(NtLayouts.GENERAL_LOOKASIDE, "LastAllocateMisses")).isEqualTo(0x3C);
    }

    @Test
    void shouldComputeContainingRecordFromTheLayout() {
        var someStructure = java.lang.foreign.MemoryLayout.structLayout(
                NtLayouts.ULONG.withName("SomeField1"),
                NtLayouts.ULONG.withName("SomeField2"),
                NtLayouts.LIST_ENTRY.withName("ListEntry"),
                NtLayouts.ULONG.withName("SomeFieldX"));
        assertThat(NtLayouts.CONTAINING_RECORD(0x80001018, someStructure, "ListEntry")).isEqualTo(0x80001010);
    }

    @Test
    void shouldDescribePoolTypesLikeTheDebugger() {
        assertThat(PoolType.describe(PoolType.PagedPool | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE))
                .isEqualTo("PagedPool RaiseIfAllocationFailure");
        assertThat(PoolType.describe(PoolType.NonPagedPool)).isEqualTo("NonPagedPool");
        assertThat(PoolType.isPaged(PoolType.PagedPool | PoolType.POOL_NX_ALLOCATION)).isTrue();
    }
}
