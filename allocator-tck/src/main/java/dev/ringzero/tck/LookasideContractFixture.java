package dev.ringzero.tck;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Irql;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.lookaside.LookasideServices;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract suite's fixture: a real executive ({@code LookasideServices} found with {@link ServiceLoader}, its
 * tuner driven by hand) over the pool under test, the implementation under test registered in it, one driver's
 * routines, and the helpers that read the header the way NT code would. The suite is {@link LookasideListsContract};
 * its groups of tests are split over this class's subclasses only to keep each file readable.
 */
public abstract class LookasideContractFixture {

    static final Owner DRIVER = new Owner("LookasideList", 1);
    static final Owner OTHER = new Owner("Other", 2);
    static final int TAG = PoolTag.of("msaW");
    static final int HEADER_TAG = PoolTag.of("HdrT");
    static final int WINE = 0x454e4957;
    static final int ENTRY_SIZE = 40;

    PoolUnderTest executive;
    SystemMemory memory;
    LookasideServices services;
    /** The executive's registry: every live list, {@code !lookaside}, the tuner (driven by hand here). */
    LookasideRegistry system;
    /** The implementation under test, registered. */
    LookasideProvider provider;
    PoolAllocator pool;
    LookasideLists lists;
    final List<Map.Entry<Owner, BugCheck>> faults = new ArrayList<>();

    /** The implementation under test: its caching policy. */
    protected abstract LookasidePolicy policy();

    /**
     * The implementation under test as the executive serves it: {@link #policy()} registered with {@code registry},
     * in place of one of the same name that {@link ServiceLoader} found on the test path. The built-in {@code nt},
     * which cannot be replaced, overrides this to return the registry's own.
     */
    protected LookasideProvider provider(LookasideRegistry registry) {
        LookasidePolicy policy = policy();
        if (registry.providers().stream().anyMatch(p -> p.name().equals(policy.name()))) {
            registry.unregister(policy.name());
        }
        return registry.register(policy);
    }

    /** The pool the lists allocate from: the real executive pool, unless a subclass picks the stand-in. */
    protected PoolUnderTest newPool() {
        return new RealExecutivePool();
    }

    @BeforeEach
    void setUpSystem() {
        executive = newPool();
        memory = executive.memory();
        // as a host assembles it, with a clock that never advances: the suite drives the tuner by hand
        services = ServiceLoader.load(LookasideServices.Factory.class).findFirst().orElseThrow(() ->
                        new IllegalStateException("no LookasideServices.Factory on the test path: add allocator-lookaside"))
                .create(executive, () -> 0L, false);
        system = services.registry();
        system.setFaultHandler((owner, bugCheck) -> faults.add(Map.entry(owner, bugCheck)));
        pool = executive.forDriver(DRIVER);
        provider = provider(system);
        lists = provider.forDriver(DRIVER, pool);
    }

    @AfterEach
    void tearDownSystem() {
        Irql.resetToPassive();
        services.close();
        executive.close();
    }

    // ---- helpers

    int pagedHeader() {
        return pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.PAGED_LOOKASIDE_LIST.byteSize(), HEADER_TAG);
    }

    int npagedHeader() {
        return pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), HEADER_TAG);
    }

    int exHeader() {
        return pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.LOOKASIDE_LIST_EX.byteSize(), HEADER_TAG);
    }

    int npagedList() {
        int header = npagedHeader();
        lists.ExInitializeNPagedLookasideList(header, null, null, 0, ENTRY_SIZE, TAG, 0);
        return header;
    }

    int pagedList() {
        int header = pagedHeader();
        lists.ExInitializePagedLookasideList(header, null, null, 0, ENTRY_SIZE, TAG, 0);
        return header;
    }

    static int off(String field) {
        return (int) NtLayouts.FIELD_OFFSET(NtLayouts.GENERAL_LOOKASIDE, field);
    }

    int u16(int header, String field) {
        return Short.toUnsignedInt(memory.resolve(header + off(field), 2).get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
    }

    void setU16(int header, String field, int value) {
        memory.resolve(header + off(field), 2).set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) value);
    }

    int u32(int header, String field) {
        return memory.readInt(header + off(field));
    }

    int[] allocate(int header, int n) {
        int[] entries = new int[n];
        for (int i = 0; i < n; i++) {
            entries[i] = lists.ExAllocateFromNPagedLookasideList(header);
        }
        return entries;
    }

    void free(int header, int... entries) {
        for (int e : entries) {
            lists.ExFreeToNPagedLookasideList(header, e);
        }
    }

    static BugCheck bugCheck(Runnable r) {
        return catchThrowableOfType(BugCheck.class, r::run);
    }

    /** Runs {@code r} at {@code irql}, back at PASSIVE_LEVEL afterwards. */
    static void atIrql(int irql, Runnable r) {
        int old = Irql.KeRaiseIrql(irql);
        try {
            r.run();
        } finally {
            Irql.KeLowerIrql(old);
        }
    }

}
