/**
 * The executive pool: the 32-bit system address space, the non-paged and paged pools
 * ({@code ExAllocatePoolWithTag} and friends), per-tag accounting, NT's bug checks on misuse, and the
 * verifier's special pool.
 *
 * <p>Exports and opens nothing: part of the executive, on the launcher's module path, and the only module
 * the launcher gives native access ({@code --enable-native-access=dev.ringzero.pool}; its chunks are
 * {@code MemorySegment.NULL.reinterpret}-ed). The host makes the pool with
 * {@link dev.ringzero.spi.memory.ExecutivePool.Factory} (its {@code data/} folder named); code without a host
 * gets a pool with the defaults as a {@link java.util.ServiceLoader} {@link dev.ringzero.spi.memory.ExecutivePool}.
 * Drivers reach it only through the views their {@code DriverObject} hands them.
 */
module dev.ringzero.pool {
    requires dev.ringzero.api;
    requires jdk.jfr; // PoolEvents
    requires static org.osgi.service.component.annotations;
    requires static org.apache.felix.framework;

    // only to tell the lookaside implementations' frames from a driver's (ExecutiveFrames): their types, never instances
    uses dev.ringzero.spi.lookaside.LookasideProvider;
    uses dev.ringzero.spi.lookaside.LookasideServices.Factory;
    uses dev.ringzero.spi.lookaside.LookasidePolicy;

    provides dev.ringzero.spi.memory.ExecutivePool with dev.ringzero.pool.ExecutivePoolComponent;
    provides dev.ringzero.spi.memory.ExecutivePool.Factory with dev.ringzero.pool.ExecutivePoolFactory;
}
