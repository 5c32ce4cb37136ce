package dev.ringzero.host.core;

import dev.ringzero.api.Driver;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A driver ready to load: its service name and how to instantiate its entry class — what NT reads
 * from the service key and the image's entry point.
 *
 * @param name    the service name, e.g. {@code LookasideList}
 * @param factory creates the driver instance (the entry class's no-argument constructor)
 * @param origin  where it came from, for reports (a bundle location, a jar path, a class name)
 */
public record DriverImage(String name, Supplier<? extends Driver> factory, String origin) {

    public DriverImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        if (name.isBlank() || name.contains("\\") || name.contains("/")) {
            throw new IllegalArgumentException("a driver name is a non-empty service name without slashes: '" + name + "'");
        }
    }

    /** A driver image for an entry class with a public no-argument constructor. */
    public static DriverImage of(String name, Class<? extends Driver> entryClass) {
        return new DriverImage(name, () -> instantiate(entryClass), entryClass.getName());
    }

    static Driver instantiate(Class<? extends Driver> entryClass) {
        try {
            return entryClass.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot instantiate driver entry class " + entryClass.getName()
                    + ": it needs a public no-argument constructor (" + e + ")", e);
        }
    }
}
