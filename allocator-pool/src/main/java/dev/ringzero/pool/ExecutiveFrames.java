package dev.ringzero.pool;

import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideServices;
import java.net.URL;
import java.security.CodeSource;
import java.util.HashSet;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which stack frames are the executive's, not a driver's: those of classes loaded from the code source
 * (jar or class folder) of the pool, of the API, or of an implementation of the API's lookaside services.
 * The lookaside implementations are found as the API's {@link ServiceLoader} providers (their types only:
 * nothing is instantiated), so the pool names no other module's package or class: whatever provides
 * {@link LookasideProvider}, {@link LookasideServices.Factory} or {@link LookasidePolicy} (an implementation's caching
 * policy, {@code magazine}'s or a third party's, whose misses refill from the pool for the driver) where the pool is
 * loaded counts. A class
 * without a code source (the JDK's, a hidden class) is not the executive's.
 */
final class ExecutiveFrames {

    private final Set<String> locations;

    private ExecutiveFrames(Set<String> locations) {
        this.locations = locations;
    }

    /** The pool's, the API's, and the lookaside providers' code sources, as seen from the pool's class loader. */
    static ExecutiveFrames discover() {
        Set<String> locations = new HashSet<>();
        add(locations, PoolEngine.class);
        add(locations, PoolAllocator.class);
        ClassLoader loader = PoolEngine.class.getClassLoader();
        for (Class<?> service : new Class<?>[] {LookasideProvider.class, LookasideServices.Factory.class,
                LookasidePolicy.class}) {
            try {
                providerTypes(service, loader).forEach(type -> add(locations, type));
            } catch (ServiceConfigurationError unusable) {
                // a broken provider is not the executive's business here: its frames are reported as they are
            }
        }
        return new ExecutiveFrames(Set.copyOf(locations));
    }

    private static Stream<? extends Class<?>> providerTypes(Class<?> service, ClassLoader loader) {
        return ServiceLoader.load(service, loader).stream().map(ServiceLoader.Provider::type);
    }

    /** The frames of {@code c} are the executive's. */
    boolean contains(Class<?> c) {
        String location = locationOf(c);
        return location != null && locations.contains(location);
    }

    private static void add(Set<String> locations, Class<?> c) {
        String location = locationOf(c);
        if (location != null) {
            locations.add(location);
        }
    }

    private static String locationOf(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        return url == null ? null : url.toExternalForm(); // a string, not URL.equals (which may resolve host names)
    }
}
