package dev.ringzero.host.core;

import dev.ringzero.api.DriverObject;
import dev.ringzero.api.DriverUnload;
import dev.ringzero.api.Owner;
import dev.ringzero.api.SystemThread;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.memory.ExecutivePool;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@code DRIVER_OBJECT} the I/O manager builds for one load of one driver. */
final class KernelDriverObject implements DriverObject {

    static final String DRIVER_PREFIX = "\\Driver\\";
    static final String SERVICES_KEY = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

    private final String name;
    private final Owner owner;
    private final int imageBase;
    private final MemorySegment imageSection;
    private final Map<Class<?>, Object> services;
    private final SystemThreads threads;
    private final DriverMemory memory;
    private final DriverLookasideLists lookasideLists;
    private volatile DriverUnload driverUnload;
    /** Set once, at unload: the driver object and every service object it handed out are dead. */
    private final Revocation revocation;
    final List<String> finalLookasideDumps = new CopyOnWriteArrayList<>();
    private final Map<String, MemoryLayout> debuggerTypes = new ConcurrentHashMap<>();

    KernelDriverObject(String name, Owner owner, int imageBase, MemorySegment imageSection, Executive executive,
                       SystemThreads threads) {
        this.name = name;
        this.owner = owner;
        this.imageBase = imageBase;
        this.imageSection = imageSection;
        this.threads = threads;
        PoolAllocator pool = executive.pool().forDriver(owner);
        this.revocation = new Revocation(owner);
        this.memory = new DriverMemory(executive.pool().memory(), owner, revocation);
        this.lookasideLists = new DriverLookasideLists(executive, owner, pool, finalLookasideDumps, revocation);
        this.services = Map.of(
                PoolAllocator.class, pool,
                SystemMemory.class, memory,
                Lists.class, new Lists(memory),
                SLists.class, new SLists(memory),
                LookasideLists.class, lookasideLists);
    }

    /**
     * Revokes this driver object and every service object it handed out (the driver is being unloaded): a
     * later call through any of them is {@link dev.ringzero.api.BugCheck#callAfterUnload 0xCE} charged to the
     * driver and does nothing. The pool's view is revoked by the pool itself, in the owner's mode word its fast
     * paths test anyway.
     */
    void revoke(ExecutivePool pool) {
        revocation.revoke();
        lookasideLists.revoke();   // folds it into the view every lookaside call goes through: no check of its own
        pool.revoke(owner);
    }

    private void checkNotRevoked(String routine) {
        revocation.check(routine, 0, false);
    }

    @Override
    public String DriverName() {
        return DRIVER_PREFIX + name;
    }

    @Override
    public String ServiceKeyName() {
        return name;
    }

    @Override
    public String RegistryPath() {
        return SERVICES_KEY + name;
    }

    @Override
    public Owner owner() {
        return owner;
    }

    @Override
    public int DriverStart() {
        return imageBase;
    }

    @Override
    public int DriverSize() {
        return (int) imageSection.byteSize();
    }

    @Override
    public MemorySegment imageSection() {
        return imageSection;
    }

    @Override
    public void setDriverUnload(DriverUnload unload) {
        this.driverUnload = unload;
    }

    @Override
    public DriverUnload DriverUnload() {
        return driverUnload;
    }

    @Override
    public <T> T service(Class<T> type) {
        checkNotRevoked("DriverObject.service");
        Object s = services.get(type);
        if (s == null) {
            throw new IllegalArgumentException("no executive service " + type.getName() + " for driver " + name
                    + "; available: " + services.keySet().stream().map(Class::getSimpleName).sorted().toList());
        }
        return type.cast(s);
    }

    @Override
    public SystemThread PsCreateSystemThread(String threadName, Runnable startRoutine) {
        checkNotRevoked("PsCreateSystemThread");
        return threads.start(threadName, startRoutine);
    }

    @Override
    public void registerDebuggerType(MemoryLayout layout) {
        checkNotRevoked("DriverObject.registerDebuggerType");
        String typeName = layout.name().orElseThrow(() -> new IllegalArgumentException(
                "registerDebuggerType: the layout has no name (give it one with withName(\"SOME_STRUCTURE\"))"));
        MemoryLayout before = debuggerTypes.putIfAbsent(typeName, layout);
        if (before != null && !before.equals(layout)) {
            throw new IllegalArgumentException("registerDebuggerType: " + name + " already registered another layout"
                    + " named " + typeName);
        }
    }

    /** The layouts this driver registered for the debugger, by name. */
    Map<String, MemoryLayout> debuggerTypes() {
        return Map.copyOf(debuggerTypes);
    }

    DriverLookasideLists lookasideLists() {
        return lookasideLists;
    }
}
