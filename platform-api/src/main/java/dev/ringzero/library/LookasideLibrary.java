package dev.ringzero.library;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.lookaside.LookasideServices;
import dev.ringzero.spi.memory.ExecutivePool;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.LongSupplier;

/**
 * The lookaside lists as a library, for Java code on a plain module or class path: no host, no OSGi,
 * no internal class. {@link #open} finds a fresh executive pool and the lookaside system with
 * {@link ServiceLoader} (put {@code allocator-pool} and {@code allocator-lookaside} beside this API), starts
 * the balance-set manager that tunes every list's depth, and gives one owner's routines; {@link #close()}
 * deletes the lists this library made, stops the tuner and closes the pool.
 * {@snippet :
 * try (LookasideLibrary library = LookasideLibrary.open()) {
 *     int list = library.newList(64, PoolTag.of("1gaT"));          // fixed-size entries of 64 bytes
 *     LookasideTap tap = library.lists().tap(list);                  // segments, bounded to the entry
 *     MemorySegment entry = tap.allocate();
 *     tap.free(entry);
 *     LookasideInfo counters = library.lists().query(list);          // NT's TotalAllocates, AllocateMisses...
 * }
 * }
 * Not thread-confined: every routine is as thread-safe as NT's. One library is one address space; two
 * libraries share nothing.
 */
public final class LookasideLibrary implements AutoCloseable {

    /** The owner {@link #open()} charges everything to. */
    public static final Owner DEFAULT_OWNER = new Owner("LookasideLibrary", 1);

    private final ExecutivePool executivePool;
    private final LookasideServices services;
    private final Owner owner;
    private final PoolAllocator pool;
    private final LookasideLists lists;
    /** Headers of the lists made by {@link #newList} and not deleted yet. Guarded by {@code this}. */
    private final List<Integer> made = new ArrayList<>();

    private LookasideLibrary(ExecutivePool executivePool, LookasideServices services, Owner owner,
                             LookasideProvider implementation) {
        this.executivePool = executivePool;
        this.services = services;
        this.owner = owner;
        this.pool = executivePool.forDriver(owner);
        this.lists = implementation.forDriver(owner, pool);
    }

    /** The default implementation ({@code nt}), tuned once a second of {@link System#nanoTime}, owned by {@link #DEFAULT_OWNER}. */
    public static LookasideLibrary open() {
        return open(DEFAULT_OWNER, null, System::nanoTime);
    }

    /**
     * @param owner          who the pool blocks and the lists are charged to ({@code !pool}, {@code !lookaside})
     * @param implementation {@code nt}, {@code magazine}, ...; {@code null} for the default
     * @param clock          nanoseconds the balance-set manager ticks on (once a second of it); a clock that
     *                       never advances freezes the depths
     * @throws NoSuchElementException naming what is missing from the path, or the implementations there are
     */
    public static LookasideLibrary open(Owner owner, String implementation, LongSupplier clock) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(clock, "clock");
        ExecutivePool pool = ServiceLoader.load(ExecutivePool.class).findFirst().orElseThrow(() ->
                new NoSuchElementException("no ExecutivePool on the path: add the allocator-pool jar"));
        LookasideServices services;
        try {
            services = ServiceLoader.load(LookasideServices.Factory.class).findFirst().orElseThrow(() ->
                    new NoSuchElementException("no lookaside system on the path: add the allocator-lookaside jar"))
                    .create(pool, clock, true);
        } catch (RuntimeException e) {
            closePool(pool);
            throw e;
        }
        try {
            List<LookasideProvider> providers = services.providers();
            return new LookasideLibrary(pool, services, owner,
                    implementation == null ? providers.getFirst() : provider(providers, implementation));
        } catch (RuntimeException e) {
            services.close();
            closePool(pool);
            throw e;
        }
    }

    private static LookasideProvider provider(List<LookasideProvider> providers, String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                new NoSuchElementException("no lookaside implementation '" + name + "'; known: "
                        + providers.stream().map(LookasideProvider::name).toList()));
    }

    /**
     * A new non-paged list of {@code entrySize}-byte entries tagged {@code tag}, its header in the pool:
     * {@code ExInitializeNPagedLookasideList} with the pool's own Allocate and Free routines.
     *
     * @return the list's header address, which every routine of {@link #lists()} takes
     */
    public synchronized int newList(long entrySize, int tag) {
        int header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), tag);
        try {
            lists.ExInitializeNPagedLookasideList(header, null, null, 0, entrySize, tag, 0);
        } catch (RuntimeException e) {
            pool.ExFreePool(header);
            throw e;
        }
        made.add(header);
        return header;
    }

    /** Deletes a list {@link #newList} made (its cached entries go back to the pool) and frees its header. */
    public synchronized void deleteList(int list) {
        if (!made.remove((Integer) list)) {
            throw new IllegalArgumentException(String.format("%08X is not a list this library made and has not deleted", list));
        }
        lists.ExDeleteNPagedLookasideList(list);
        pool.ExFreePool(list);
    }

    /** NT's lookaside routines, {@link LookasideLists#tap taps} and {@link LookasideLists#query counters}, for this owner. */
    public LookasideLists lists() {
        return lists;
    }

    /**
     * This owner's routines of the implementation named {@code implementation}, for lists of that one
     * ({@link #newList} makes its lists with {@link #lists()}'s).
     *
     * @throws NoSuchElementException naming the implementations there are
     */
    public LookasideLists lists(String implementation) {
        return provider(services.providers(), implementation).forDriver(owner, pool);
    }

    /** The implementations on the path, the default first: for a host built on this library's pool and registry. */
    public List<LookasideProvider> implementations() {
        return services.providers();
    }

    /** The pool behind the lists, as this owner sees it. */
    public PoolAllocator pool() {
        return pool;
    }

    /** The whole pool: per-tag usage, bytes in use, the verifier switches. */
    public ExecutivePool executivePool() {
        return executivePool;
    }

    /** Every live list, {@code !lookaside}, and the tuner's tick ({@link LookasideRegistry#adjustLookasideDepth}). */
    public LookasideRegistry registry() {
        return services.registry();
    }

    /** The owner everything is charged to. */
    public Owner owner() {
        return owner;
    }

    /** Deletes the lists this library made, stops the tuner and closes the pool. */
    @Override
    public synchronized void close() {
        try {
            for (int list : List.copyOf(made)) {
                deleteList(list);
            }
        } finally {
            services.close();
            closePool(executivePool);
        }
    }

    private static void closePool(ExecutivePool pool) {
        if (pool instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the executive pool failed: " + e, e);
            }
        }
    }
}
