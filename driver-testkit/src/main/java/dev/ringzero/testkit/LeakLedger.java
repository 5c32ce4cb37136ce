package dev.ringzero.testkit;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.memory.ExecutivePool;
import dev.ringzero.spi.memory.PoolBlockInfo;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;

/**
 * What each driver left behind when the host unloaded it: the pool blocks the host had to reclaim and
 * the lookaside lists it never deleted.
 *
 * <p>The I/O manager checks and gives back a driver's memory at unload and reports what it found as
 * text (or, under the verifier, as a bug check). To keep the blocks themselves — with the line that
 * allocated each — the kit hands the I/O manager two thin decorators of the executive's services:
 * {@link #pool} remembers the blocks still outstanding at the moment they are
 * {@linkplain ExecutivePool#reclaim reclaimed} (with the lists still registered then: an unverified
 * driver's undeleted lists stay registered), and {@link #registry} remembers the lists
 * {@linkplain LookasideRegistry#purge purged} (the verifier's way). Everything else goes straight
 * through.
 */
final class LeakLedger {

    /** One unload's leftovers. */
    record Leak(Owner owner, List<PoolBlockInfo> blocks, List<LookasideInfo> lists) {
    }

    private final Map<Owner, List<PoolBlockInfo>> blocks = new ConcurrentHashMap<>();
    private final Map<Owner, List<LookasideInfo>> lists = new ConcurrentHashMap<>();
    private final List<Owner> order = new CopyOnWriteArrayList<>();
    final ExecutivePool pool;
    final LookasideRegistry registry;

    LeakLedger(ExecutivePool pool, LookasideRegistry registry) {
        this.pool = new RecordingPool(pool, registry);
        this.registry = new RecordingRegistry(registry);
    }

    /** The leftovers of every unload so far, oldest first; unloads that left nothing are not listed. */
    List<Leak> leaks() {
        List<Leak> found = new ArrayList<>();
        for (Owner o : order) {
            List<PoolBlockInfo> b = blocks.getOrDefault(o, List.of());
            List<LookasideInfo> l = lists.getOrDefault(o, List.of());
            if (!b.isEmpty() || !l.isEmpty()) {
                found.add(new Leak(o, b, l));
            }
        }
        return found;
    }

    private void record(Owner owner, List<PoolBlockInfo> b, List<LookasideInfo> l) {
        if (!order.contains(owner)) {
            order.add(owner);
        }
        if (!b.isEmpty()) {
            blocks.merge(owner, List.copyOf(b), (x, y) -> concat(x, y, PoolBlockInfo::address));
        }
        if (!l.isEmpty()) {
            lists.merge(owner, List.copyOf(l), (x, y) -> concat(x, y, LookasideInfo::address));
        }
    }

    /** {@code a}, then what {@code b} adds at other addresses (a list seen both at purge and at reclaim counts once). */
    private static <T> List<T> concat(List<T> a, List<T> b, ToIntFunction<T> address) {
        List<T> all = new ArrayList<>(a);
        for (T x : b) {
            if (all.stream().noneMatch(y -> address.applyAsInt(y) == address.applyAsInt(x))) {
                all.add(x);
            }
        }
        return List.copyOf(all);
    }

    private final class RecordingPool implements ExecutivePool {
        private final ExecutivePool delegate;
        private final LookasideRegistry lookaside;

        RecordingPool(ExecutivePool delegate, LookasideRegistry lookaside) {
            this.delegate = delegate;
            this.lookaside = lookaside;
        }

        @Override
        public int reclaim(Owner owner) {
            record(owner, delegate.outstanding(owner), lookaside.ownedBy(owner));
            return delegate.reclaim(owner);
        }

        @Override
        public void revoke(Owner owner) {
            delegate.revoke(owner);
        }

        @Override
        public PoolAllocator forDriver(Owner owner) {
            return delegate.forDriver(owner);
        }

        @Override
        public SystemMemory memory() {
            return delegate.memory();
        }

        @Override
        public List<PoolTagUsage> usage() {
            return delegate.usage();
        }

        @Override
        public long bytesInUse() {
            return delegate.bytesInUse();
        }

        @Override
        public List<PoolBlockInfo> outstanding(Owner owner) {
            return delegate.outstanding(owner);
        }

        @Override
        public void setVerified(Owner owner, boolean verified) {
            delegate.setVerified(owner, verified);
        }

        @Override
        public void setVerifiedByDefault(boolean verified) {
            delegate.setVerifiedByDefault(verified);
        }

        @Override
        public boolean isVerified(Owner owner) {
            return delegate.isVerified(owner);
        }

        @Override
        public void setSpecialPool(Owner owner, boolean special) {
            delegate.setSpecialPool(owner, special);
        }

        @Override
        public void setSpecialPoolTag(String tagPattern, boolean special) {
            delegate.setSpecialPoolTag(tagPattern, special);
        }

        @Override
        public List<String> specialPoolTags() {
            return delegate.specialPoolTags();
        }

        @Override
        public void setLookasideMark(int address, boolean live) {
            delegate.setLookasideMark(address, live);
        }

        @Override
        public boolean hasLookasideMark(int address) {
            return delegate.hasLookasideMark(address);
        }

        @Override
        public String renderPoolUsed(PoolUsedSort sort, String tagPattern) {
            return delegate.renderPoolUsed(sort, tagPattern);
        }
    }

    private final class RecordingRegistry implements LookasideRegistry {
        private final LookasideRegistry delegate;

        RecordingRegistry(LookasideRegistry delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<LookasideInfo> purge(Owner owner) {
            List<LookasideInfo> purged = delegate.purge(owner);
            record(owner, List.of(), purged);
            return purged;
        }

        @Override
        public List<LookasideInfo> lists() {
            return delegate.lists();
        }

        @Override
        public Optional<LookasideInfo> find(int address) {
            return delegate.find(address);
        }

        @Override
        public List<LookasideInfo> ownedBy(Owner owner) {
            return delegate.ownedBy(owner);
        }

        @Override
        public String render(int address) {
            return delegate.render(address);
        }

        @Override
        public String renderAll() {
            return delegate.renderAll();
        }

        @Override
        public LookasideInfo resetCounters(int address) {
            return delegate.resetCounters(address);
        }

        @Override
        public LookasideInfo setDepth(int address, int depth) {
            return delegate.setDepth(address, depth);
        }

        @Override
        public void adjustLookasideDepth() {
            delegate.adjustLookasideDepth();
        }

        @Override
        public void setFaultHandler(BiConsumer<Owner, BugCheck> handler) {
            delegate.setFaultHandler(handler);
        }

        // issue 21's registry methods (21b: the test kit did not compile on 21a's af35cab without them)
        @Override
        public List<dev.ringzero.spi.lookaside.LookasideProvider> providers() {
            return delegate.providers();
        }

        @Override
        public dev.ringzero.spi.lookaside.LookasideProvider register(dev.ringzero.spi.lookaside.LookasidePolicy policy) {
            return delegate.register(policy);
        }

        @Override
        public void unregister(String name) {
            delegate.unregister(name);
        }

        @Override
        public List<LookasideInfo> retire(String name, Runnable whenGone) {
            return delegate.retire(name, whenGone);
        }
    }
}
