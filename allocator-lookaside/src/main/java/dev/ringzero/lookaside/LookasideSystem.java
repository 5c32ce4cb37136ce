package dev.ringzero.lookaside;

import com.google.common.base.Ticker;
import com.google.common.util.concurrent.Service;
import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.memory.ExecutivePool;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The executive's lookaside lists, one per host: the system-wide registry of every live list (NT's
 * {@code ExNPagedLookasideListHead} and {@code ExPagedLookasideListHead}), the balance-set manager that
 * tunes them, {@code !lookaside}, and the implementations that make new lists.
 *
 * <h2>Wiring</h2>
 * It needs the {@link ExecutivePool}: to mark a header's pool block as holding a live list (so the
 * verifier can refuse to free it, 0xC4/0xCC) and, at each scan, to see whether the block is still live
 * and marked — a header freed without {@code ExDelete...} is NT's 0xCE. Two ways to get one:
 * <ul>
 *   <li><b>Without OSGi</b> (the in-process host, the driver test kit): {@link java.util.ServiceLoader}
 *   finds {@link LookasideServicesFactory}, the API's {@code LookasideServices.Factory}:
 *   {@snippet :
 *   LookasideServices lookaside = ServiceLoader.load(LookasideServices.Factory.class).findFirst().orElseThrow()
 *           .create(executivePool, System::nanoTime, true);       // true: the 1-second tuner runs
 *   LookasideRegistry registry = lookaside.registry();             // lists, find, !lookaside, purge, faults
 *   List<LookasideProvider> providers = lookaside.providers();     // [nt], the default first
 *   LookasideLists mine = providers.getFirst().forDriver(owner, executivePool.forDriver(owner));
 *   // ... at shutdown
 *   lookaside.close();                                             // stops the balance-set manager
 *   }
 *   Class-path code in this project (benchmarks) may call {@link #create} directly. {@code nt} is also a
 *   ServiceLoader {@code LookasideProvider}: an instance made that way serves the system of the address
 *   space its {@code forDriver} pool view belongs to, so create the system first.</li>
 *   <li><b>OSGi:</b> this class is a DS component (services {@link LookasideRegistry} and this class)
 *   with a mandatory reference to the {@link ExecutivePool} service; activation starts the balance-set
 *   manager on the system clock, deactivation stops it. {@link NtLookasideProvider} is a component
 *   that references it.</li>
 * </ul>
 *
 * <h2>Registry</h2>
 * Live lists are kept in registration order under one lock, the way NT keeps them on two spin-locked
 * lists; initialize, delete, purge, each tuner scan and the debugger's {@code !lookaside} (its counter reset
 * and depth change included) take it. Lookups by header address on the allocate / free path do not: they
 * read an immutable {@link AddressIndex} republished on every change. A list's owner deletes it; a list
 * whose header was freed without a delete is found by the next scan, reported as its owner's 0xCE and
 * dropped; the addresses of recently gone lists are remembered so that a later use of one names what
 * happened to it.
 *
 * <h2>Balance-set manager</h2>
 * {@link #adjustLookasideDepth()} is NT's {@code ExAdjustLookasideDepth}: a three-phase round robin —
 * non-paged lists, paged lists, then the system's per-processor lists (we have none) — so each list is
 * scanned every third tick with {@code ScanPeriod} 3 ({@link DepthTuner}). A fault in one list (any
 * exception or bug check) drops that list and is handed to the {@linkplain #setFaultHandler fault
 * handler} as its owner's, after the lock is released; the scan goes on with the others. Before each list's
 * depth is computed its cache {@code tick}s (reaps what ended threads left); every tick reaps the entries deleted
 * lists still owed in per-thread caches ({@code reapStranded}).
 */
@Component(service = {LookasideRegistry.class, LookasideSystem.class})
public final class LookasideSystem implements LookasideRegistry, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LookasideSystem.class.getName());
    /** How many gone lists' fates are remembered for messages. */
    private static final int TOMBSTONES = 256;

    private final ExecutivePool executivePool;
    private final BalanceSetManager balanceSetManager;

    private final Object lock = new Object();
    /** The registered implementations, {@code nt} first. Guarded by {@link #lock}. */
    private final Implementations implementations = new Implementations(this::ownersLocked);
    /** Live lists by header address, in registration order. Guarded by {@link #lock}. */
    private final LinkedHashMap<Integer, RegisteredList> lists = new LinkedHashMap<>();
    /** What became of recently gone lists, by address. Guarded by {@link #lock}. */
    private final Map<Integer, String> tombstones = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
            return size() > TOMBSTONES;
        }
    };
    /**
     * Deleted lists whose per-thread caches still owed entries at the delete (threads that lived on): the
     * balance-set manager returns those entries once the threads end. Guarded by {@link #lock}.
     */
    private final List<RegisteredList> stranded = new ArrayList<>();
    /** Republished under {@link #lock} on every change, read without it. */
    private volatile AddressIndex index = AddressIndex.EMPTY;
    private volatile BiConsumer<Owner, BugCheck> faultHandler = LookasideSystem::logFault;

    private final Object tunerLock = new Object();
    /** NT's {@code ExpScanCount}: 0 non-paged, 1 paged, 2 system lists. Guarded by {@link #tunerLock}. */
    private int scanCount;

    /**
     * The DS constructor: the system clock; {@link #activate()} starts the balance-set manager.
     * On a plain module path use {@link #create} instead.
     */
    @Activate
    public LookasideSystem(@Reference(name = "executivePool") ExecutivePool executivePool) {
        this(executivePool, Ticker.systemTicker());
    }

    /** A system whose balance-set manager is not running yet (tests drive the tuner by hand). */
    LookasideSystem(ExecutivePool executivePool, Ticker clock) {
        this.executivePool = Objects.requireNonNull(executivePool, "executivePool");
        this.balanceSetManager = new BalanceSetManager(this, Objects.requireNonNull(clock, "clock"));
        register(new NtLookasidePolicy());
    }

    /**
     * The lookaside system of the host whose pool is {@code executivePool}, with its balance-set
     * manager running: one tick per second of {@code clock} ({@code Ticker.systemTicker()} in a host;
     * a ticker that never advances freezes tuning). {@link #close()} stops it.
     */
    public static LookasideSystem create(ExecutivePool executivePool, Ticker clock) {
        LookasideSystem system = new LookasideSystem(executivePool, clock);
        system.start();
        return system;
    }

    /** DS activation: starts the balance-set manager. */
    @Activate
    void activate() {
        start();
    }

    /** Starts the balance-set manager, if it has not been started. */
    void start() {
        if (balanceSetManager.state() == Service.State.NEW) {
            balanceSetManager.startAsync().awaitRunning();
        }
    }

    /** Stops the balance-set manager. Lists stay registered; the system still serves them. */
    @Deactivate
    @Override
    public void close() {
        balanceSetManager.stopAsync().awaitTerminated();
    }

    /** The balance-set manager, for a host that wants to watch its state. */
    public Service balanceSetManager() {
        return balanceSetManager;
    }

    /** The implementations registered now, the default ({@code nt}) first, then in registration order. */
    @Override
    public List<LookasideProvider> providers() {
        synchronized (lock) {
            return implementations.providers();
        }
    }

    /**
     * The implementation named {@code name}.
     *
     * @throws NoSuchElementException naming the known ones
     */
    public LookasideProvider provider(String name) {
        synchronized (lock) {
            return implementations.get(name);
        }
    }

    @Override
    public LookasideProvider register(LookasidePolicy policy) {
        synchronized (lock) {
            return implementations.add(this, policy);
        }
    }

    @Override
    public void unregister(String name) {
        synchronized (lock) {
            implementations.unregister(name);
        }
    }

    @Override
    public List<LookasideInfo> retire(String name, Runnable whenGone) {
        List<LookasideInfo> serving;
        synchronized (lock) {
            Implementation i = implementations.get(name);
            serving = snapshot(l -> l.implementation == i); // before: retiring an idle one removes it at once
            implementations.retire(name, whenGone);
        }
        runGone();
        return serving;
    }

    /** The drivers whose live or stranded lists {@code i} serves, sorted; under {@link #lock}. */
    private List<String> ownersLocked(Implementation i) {
        TreeSet<String> owners = new TreeSet<>();
        for (RegisteredList l : lists.values()) {
            if (l.implementation == i) {
                owners.add(l.owner.name());
            }
        }
        for (RegisteredList l : stranded) {
            if (l.implementation == i) {
                owners.add(l.owner.name());
            }
        }
        return List.copyOf(owners);
    }

    /** Runs the {@code whenGone}s of retired implementations that went idle, outside the registry's lock (host code). */
    private void runGone() {
        List<Runnable> run;
        synchronized (lock) {
            run = implementations.takeGone();
        }
        for (Runnable r : run) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "lookaside: a retired implementation's whenGone failed", e);
            }
        }
    }

    /** The pool this system marks headers in. */
    public ExecutivePool executivePool() {
        return executivePool;
    }

    // ---- LookasideRegistry

    @Override
    public List<LookasideInfo> lists() {
        return snapshot(l -> true);
    }

    /** The live lists one implementation serves. */
    List<LookasideInfo> lists(String implementation) {
        return snapshot(l -> l.implementation().equals(implementation));
    }



    @Override
    public Optional<LookasideInfo> find(int address) {
        synchronized (lock) {
            RegisteredList l = lists.get(address);
            return l == null ? Optional.empty() : Optional.of(l.info());
        }
    }

    @Override
    public List<LookasideInfo> ownedBy(Owner owner) {
        return snapshot(l -> l.owner.equals(owner));
    }

    @Override
    public List<LookasideInfo> purge(Owner owner) {
        List<LookasideInfo> purged = new ArrayList<>();
        synchronized (lock) {
            for (RegisteredList l : List.copyOf(lists.values())) {
                if (l.owner.equals(owner)) {
                    try {
                        purged.add(l.info());
                    } catch (RuntimeException unreadable) {
                        LOG.log(System.Logger.Level.WARNING, "purging " + l + ": its header is unreadable", unreadable);
                    }
                    unregisterLocked(l, "purged when the host reclaimed " + owner + "'s lists", true, false);
                }
            }
            for (Iterator<RegisteredList> it = stranded.iterator(); it.hasNext(); ) {
                RegisteredList l = it.next();
                if (l.owner.equals(owner)) {
                    l.discardStranded();
                    it.remove();
                    implementations.goneIfIdle(l.implementation);
                }
            }
        }
        runGone();
        return purged;
    }

    /** @throws NoSuchElementException when no live list is at {@code address}, saying what became of one that was */
    @Override
    public String render(int address) {
        synchronized (lock) {
            return LookasideDump.render(liveLocked(address).info());
        }
    }

    @Override
    public String renderAll() {
        return LookasideDump.renderAll(lists());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Under the registry's lock, like a tuner scan ({@link RegisteredList#resetCounters()}).
     *
     * @throws IllegalStateException when the list is still registered but its header's memory was freed
     *                               without a delete (the next scan reports it as 0xCE): nothing is written
     */
    @Override
    public LookasideInfo resetCounters(int address) {
        synchronized (lock) {
            RegisteredList l = writableLocked(address, "reset the counters of");
            l.resetCounters();
            return l.info();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Under the registry's lock, like a tuner scan ({@link RegisteredList#setDepth(int)}).
     *
     * @throws IllegalStateException when the list is still registered but its header's memory was freed
     *                               without a delete (the next scan reports it as 0xCE): nothing is written
     */
    @Override
    public LookasideInfo setDepth(int address, int depth) {
        synchronized (lock) {
            RegisteredList l = writableLocked(address, "set the depth of");
            l.setDepth(depth);
            return l.info();
        }
    }

    @Override
    public void adjustLookasideDepth() {
        report(reapStranded());
        runGone();
        List<Fault> faults;
        synchronized (tunerLock) {
            int phase = scanCount;
            scanCount = (scanCount + 1) % 3;
            if (phase == 2) {
                return; // ExpScanSystemLookasideList: per-processor and pool lists; Ringzero has none
            }
            faults = scanGeneral(phase == 1);
        }
        report(faults);
        runGone();
    }

    @Override
    public void setFaultHandler(BiConsumer<Owner, BugCheck> handler) {
        this.faultHandler = handler != null ? handler : LookasideSystem::logFault;
    }

    // ---- the engine's side

    /** The live list at {@code address}, or {@code null}. No lock. */
    RegisteredList lookup(int address) {
        return index.get(address);
    }

    /**
     * Registers a list whose header {@code writeHeader} initializes, once no live list is found there.
     * A list still registered at the address whose header block was freed meanwhile is the previous
     * owner's forgotten delete: it is dropped and reported (0xCE) as the tuner would have.
     */
    void register(RegisteredList list, boolean verified, Runnable writeHeader) {
        List<Fault> faults = new ArrayList<>(1);
        synchronized (lock) {
            Implementation impl = list.implementation;
            if (impl.retired) {
                throw new IllegalStateException(String.format("%s(%08X): lookaside implementation '%s' is %s and makes "
                        + "no new lists", list.kind.initialize(), list.address, impl.name(),
                        implementations.isRegistered(impl) ? "being removed" : "no longer registered"));
            }
            RegisteredList existing = lists.get(list.address);
            if (existing != null) {
                if (headerHeld(existing)) {
                    throw LookasideBugChecks.reinitialized(existing, list, verified);
                }
                faults.add(new Fault(existing.owner, LookasideBugChecks.forgottenDelete(existing,
                        "found when " + list.kind.initialize() + " reused the header")));
                unregisterLocked(existing, "dropped after bug check 0xCE: its header was freed without a delete", false,
                        false);
            }
            writeHeader.run();
            list.cache = Objects.requireNonNull(impl.policy.newCache(list),
                    () -> "lookaside policy " + impl.name() + " made no cache");
            executivePool.setLookasideMark(list.address, true);
            list.markable = executivePool.hasLookasideMark(list.address);
            lists.put(list.address, list);
            index = AddressIndex.of(lists.values());
        }
        report(faults);
        runGone();
    }

    /**
     * {@code ExDelete...}: unlink first, then flush every cached entry to the Free routine (current
     * kernels' order, so the tuner never sees a half-deleted list).
     */
    void delete(Owner caller, boolean verified, String routine, int address) {
        RegisteredList l;
        synchronized (lock) {
            l = lists.get(address);
            if (l == null || !l.owner.equals(caller)) {
                throw LookasideBugChecks.deleteUnknown(routine, address, l, caller, verified, fate(address));
            }
            unregisterLocked(l, "deleted by " + caller + " with " + routine, true, true);
        }
        try {
            l.flush();
        } finally {
            synchronized (lock) {
                if (l.hasStranded()) {
                    stranded.add(l);
                }
                implementations.goneIfIdle(l.implementation); // after the flush: a retired implementation's code ran it
            }
            runGone();
        }
    }

    /** 0x50 for a call on an address with no live list, naming what became of the list that was there. */
    BugCheck noLiveList(String routine, int address) {
        String fate;
        synchronized (lock) {
            fate = fate(address);
        }
        return new BugCheck(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, Integer.toUnsignedLong(address), 0, 0, 0,
                String.format("%s(%08X): no live lookaside list there (%s)", routine, address, fate));
    }

    // ---- internals

    /** The live list at {@code address}; under {@link #lock}. */
    private RegisteredList liveLocked(int address) {
        RegisteredList l = lists.get(address);
        if (l == null) {
            throw new NoSuchElementException(String.format("no live lookaside list at %08X (%s)", address,
                    fate(address)));
        }
        return l;
    }

    /** The live list at {@code address}, its header's memory still the list's to write; under {@link #lock}. */
    private RegisteredList writableLocked(int address, String what) {
        RegisteredList l = liveLocked(address);
        if (!headerHeld(l)) {
            throw new IllegalStateException(String.format("cannot %s the %s lookaside list at %08X initialized by %s:"
                    + " its header's memory was freed without %s (the balance-set manager's next scan reports it)",
                    what, l.implementation(), address, l.owner, l.kind.delete()));
        }
        return l;
    }

    private List<LookasideInfo> snapshot(Predicate<RegisteredList> which) {
        List<LookasideInfo> out = new ArrayList<>();
        synchronized (lock) {
            for (RegisteredList l : lists.values()) {
                if (which.test(l)) {
                    try {
                        out.add(l.info());
                    } catch (RuntimeException unreadable) {
                        // its header's memory is gone (special pool closed it); the next scan reports it
                    }
                }
            }
        }
        return out;
    }

    /** {@code ExpScanGeneralLookasideList} over one system list, under the registry lock. */
    private List<Fault> scanGeneral(boolean paged) {
        List<Fault> faults = new ArrayList<>();
        synchronized (lock) {
            for (RegisteredList l : List.copyOf(lists.values())) {
                if (l.paged != paged) {
                    continue;
                }
                try {
                    if (!headerHeld(l)) {
                        throw LookasideBugChecks.forgottenDelete(l, "found by the balance-set manager's scan");
                    }
                    l.tick();
                    DepthTuner.scan(l, DepthTuner.SCAN_PERIOD);
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (Throwable t) {
                    BugCheck b = BugCheck.fromDriverFault(t);
                    boolean gone = b.code().equals(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
                    unregisterLocked(l, "dropped by the balance-set manager after " + b.code(), !gone, false);
                    faults.add(new Fault(l.owner, b));
                }
            }
        }
        return faults;
    }

    /** Whether the list's header block is still live and still marked as holding a list. */
    private boolean headerHeld(RegisteredList l) {
        return l.markable ? executivePool.hasLookasideMark(l.address) : l.memory.isValid(l.address);
    }

    /**
     * Entries stranded by deletes, of threads that have ended since, back to their lists' Free routines
     * (outside the registry's lock: they are driver code). A routine that fails is its owner's fault and
     * the list's remaining stranded entries are forgotten.
     */
    private List<Fault> reapStranded() {
        List<RegisteredList> candidates;
        synchronized (lock) {
            if (stranded.isEmpty()) {
                return List.of();
            }
            candidates = List.copyOf(stranded);
        }
        List<Fault> faults = new ArrayList<>();
        for (RegisteredList l : candidates) {
            boolean done;
            try {
                done = l.reapStranded();
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                l.discardStranded();
                faults.add(new Fault(l.owner, BugCheck.fromDriverFault(t)));
                done = true;
            }
            if (done) {
                synchronized (lock) {
                    stranded.remove(l);
                    implementations.goneIfIdle(l.implementation);
                }
            }
        }
        return faults;
    }

    private void unregisterLocked(RegisteredList l, String why, boolean clearMark, boolean deleted) {
        lists.remove(l.address);
        l.kill(deleted);
        if (!deleted) {
            implementations.goneIfIdle(l.implementation); // a delete checks after its flush
        }
        tombstones.put(l.address, String.format("the %s list with tag %s there was %s", l.implementation(),
                PoolTag.toString(tagOf(l)), why));
        index = AddressIndex.of(lists.values());
        // each list takes its own mark back: the pool keeps the block marked while another list's header there lives
        if (clearMark && l.markable && executivePool.hasLookasideMark(l.address)) {
            executivePool.setLookasideMark(l.address, false);
        }
    }

    private static int tagOf(RegisteredList l) {
        try {
            return LookasideHeader.tag(l.header);
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    private String fate(int address) {
        String fate = tombstones.get(address);
        return fate != null ? fate : "never initialized";
    }

    private void report(List<Fault> faults) {
        BiConsumer<Owner, BugCheck> handler = faultHandler;
        for (Fault f : faults) {
            try {
                handler.accept(f.owner(), f.bugCheck());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "lookaside fault handler failed on " + f.bugCheck(), e);
            }
        }
    }

    private static void logFault(Owner owner, BugCheck bugCheck) {
        LOG.log(System.Logger.Level.ERROR, "lookaside list of " + owner + ": " + bugCheck.getMessage());
    }

    private record Fault(Owner owner, BugCheck bugCheck) {
    }
}
