package dev.ringzero.pool;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.memory.ExecutivePool;
import dev.ringzero.spi.memory.PoolBlockInfo;
import dev.ringzero.spi.memory.PoolPage;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * The executive pool as a component: one per host, owning the system address space, the non-paged
 * pool (anonymous memory) and the paged pool (a sparse page file of its own).
 *
 * <p>Two ways in:
 * <ul>
 *   <li>OSGi Declarative Services: registered as {@link ExecutivePool}, configuration PID
 *       {@code dev.ringzero.pool} (optional; keys in {@link PoolConfig}); deactivation closes the pool.
 *       A configuration change while active applies {@code verifiedByDefault} at once; the sizes,
 *       limits and data folder take effect at the next activation.</li>
 *   <li>{@link java.util.ServiceLoader} on the module path: {@link #provider()} makes a fresh,
 *       independent pool with the defaults.</li>
 * </ul>
 * {@link #close()} releases every mapping and deletes the page file; a block's segments fail at their
 * next access afterwards.
 *
 * <p>Beyond {@link ExecutivePool}, the debugger's PoolMon view ({@link #renderPoolMon()}), a block's
 * header ({@link #queryBlock(int)}), and the pool's own mapping of a Java fault in driver code to a
 * stop code ({@link #translateFault(Throwable)}).
 */
@Component(service = ExecutivePool.class, configurationPid = "dev.ringzero.pool")
public final class ExecutivePoolComponent implements ExecutivePool, AutoCloseable {

    private final Object lock = new Object();
    private volatile PoolEngine engine;
    private List<PoolTagUsage> lastPoolMon = List.of();

    /**
     * For OSGi: the pool starts when the component is activated with its configuration (or, used
     * without activation, on first use with the defaults).
     */
    public ExecutivePoolComponent() {
    }

    /** A pool started now with {@code configuration} (keys in {@link PoolConfig}; missing keys take the defaults). */
    public ExecutivePoolComponent(Map<String, ?> configuration) {
        this.engine = new PoolEngine(PoolConfig.from(configuration));
    }

    /** {@link java.util.ServiceLoader}'s provider method: a fresh, independent pool with the defaults. */
    public static ExecutivePoolComponent provider() {
        return new ExecutivePoolComponent(Map.of());
    }

    /**
     * Starts the pool with its configuration. Without a {@code dataFolder} key the page file goes to the
     * host's data folder (the framework property {@value PoolConfig#HOST_DATA_FOLDER}, which the host sets),
     * so that it lives inside the installation and the next start there cleans up after a killed host.
     */
    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        Map<String, Object> configuration = new HashMap<>(properties);
        String hostData = context.getProperty(PoolConfig.HOST_DATA_FOLDER);
        if (hostData != null && !properties.containsKey(PoolConfig.DATA_FOLDER)) {
            configuration.put(PoolConfig.DATA_FOLDER, hostData);
        }
        start(configuration);
    }

    /** Starts the pool with {@code properties} (keys in {@link PoolConfig}) unless it has started already. */
    void start(Map<String, Object> properties) {
        synchronized (lock) {
            if (engine == null) {
                engine = new PoolEngine(PoolConfig.from(properties));
            }
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        engine().owners.setVerifiedByDefault(PoolConfig.from(properties).verifiedByDefault());
    }

    @Deactivate
    void deactivate() {
        close();
    }

    PoolEngine engine() {
        PoolEngine e = engine;
        if (e == null) {
            synchronized (lock) {
                e = engine;
                if (e == null) {
                    e = new PoolEngine(PoolConfig.defaults());
                    engine = e;
                }
            }
        }
        return e;
    }

    // ---- ExecutivePool

    @Override
    public PoolAllocator forDriver(Owner owner) {
        return engine().owners.state(Objects.requireNonNull(owner, "owner")).view;
    }

    @Override
    public void revoke(Owner owner) {
        engine().owners.revoke(Objects.requireNonNull(owner, "owner"));
    }

    @Override
    public SystemMemory memory() {
        return engine().memory();
    }

    @Override
    public List<PoolTagUsage> usage() {
        return engine().usage();
    }

    @Override
    public long bytesInUse() {
        return engine().bytesInUse();
    }

    @Override
    public List<PoolBlockInfo> outstanding(Owner owner) {
        return engine().blocks.outstanding(Objects.requireNonNull(owner, "owner"));
    }

    @Override
    public int reclaim(Owner owner) {
        return engine().blocks.reclaim(Objects.requireNonNull(owner, "owner"));
    }

    @Override
    public void setVerified(Owner owner, boolean verified) {
        engine().owners.setVerified(Objects.requireNonNull(owner, "owner"), verified);
    }

    @Override
    public void setVerifiedByDefault(boolean verified) {
        engine().owners.setVerifiedByDefault(verified);
    }

    @Override
    public boolean isVerified(Owner owner) {
        return engine().owners.state(Objects.requireNonNull(owner, "owner")).verified();
    }

    @Override
    public void setSpecialPool(Owner owner, boolean special) {
        engine().owners.setSpecialPool(Objects.requireNonNull(owner, "owner"), special);
    }

    @Override
    public void setSpecialPoolTag(String tagPattern, boolean special) {
        engine().owners.setSpecialPoolTag(tagPattern, special);
    }

    @Override
    public List<String> specialPoolTags() {
        return engine().owners.specialPoolTags();
    }

    @Override
    public void setLookasideMark(int address, boolean live) {
        engine().blocks.setLookasideMark(address, live);
    }

    @Override
    public boolean hasLookasideMark(int address) {
        return engine().blocks.hasLookasideMark(address);
    }

    @Override
    public PoolPage poolPage(int address) {
        return new PoolPageWalker(engine()).page(address);
    }

    @Override
    public List<PoolPage.Block> findBlocks(String tagPattern, int pool) {
        return new PoolPageWalker(engine()).find(tagPattern, pool);
    }

    @Override
    public String renderPoolUsed(PoolUsedSort sort, String tagPattern) {
        PoolEngine e = engine();
        return PoolReports.poolUsed(PoolReports.rows(e.counters(), e), Objects.requireNonNull(sort, "sort"), tagPattern);
    }

    // ---- beyond the interface

    /**
     * PoolMon's display: per tag and pool, {@code Allocs (Δ) Frees (Δ) Diff Bytes (Δ) Per Alloc}, the
     * changes counted since the previous call (like PoolMon's refresh).
     */
    public String renderPoolMon() {
        List<PoolTagUsage> now = usage();
        synchronized (lock) {
            String text = PoolReports.poolMon(now, lastPoolMon);
            lastPoolMon = now;
            return text;
        }
    }

    /** The live block holding {@code address} (anywhere inside it): its header as a record, or {@code null}. */
    public PoolBlockInfo queryBlock(int address) {
        PoolEngine e = engine();
        BlockRef b = e.blocks.find(address);
        return b == null ? null : e.blocks.info(b);
    }

    /** Bytes of pages the pool of {@code poolType} has handed to slabs and blocks: what its limit applies to. */
    public long committedBytes(int poolType) {
        return (PoolType.isPaged(poolType) ? engine().paged : engine().nonPaged).committed();
    }

    /** The paged pool's page file (deleted at {@link #close()}). */
    public Path pageFile() {
        return engine().pageFilePath();
    }

    /**
     * Maps a Java fault that escaped driver code to NT's stop code, naming the system address where
     * the pool can tell it: an out-of-bounds access to a special-pool block is
     * {@code DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION} (0xD6), to any other block
     * {@code PAGE_FAULT_IN_NONPAGED_AREA} (0x50), Parameter1 the system address referenced; an
     * out-of-bounds fault that names no segment is 0x7E. See {@link FaultTranslation}.
     */
    @Override
    public BugCheck translateFault(Throwable fault) {
        return FaultTranslation.translate(fault, engine().memory);
    }

    /** Releases every mapping and deletes the page file. Idempotent. */
    @Override
    public void close() {
        PoolEngine e;
        synchronized (lock) {
            e = engine;
        }
        if (e != null) {
            e.close();
        }
    }

    @Override
    public String toString() {
        PoolEngine e = engine;
        return e == null ? "ExecutivePool[not started]"
                : "ExecutivePool[chunk=" + e.config.chunkSize() + ", nonPagedLimit=" + e.config.nonPagedLimit()
                        + ", pagedLimit=" + e.config.pagedLimit() + (e.isClosed() ? ", closed" : "") + "]";
    }
}
