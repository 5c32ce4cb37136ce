package dev.ringzero.host.core;

import dev.ringzero.api.Driver;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;

/**
 * A driver ready to load: its service name and its entry class in its code — what NT reads from the service key
 * and the image's entry point.
 *
 * @param name       the service name, e.g. {@code LookasideList}
 * @param entryClass the binary name of the class implementing {@link Driver}
 * @param code       where the entry class is loaded from
 * @param origin     where it came from, for reports (a bundle location, a jar path, a class name)
 */
public record DriverImage(String name, String entryClass, DriverCode code, String origin) {

    public DriverImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entryClass, "entryClass");
        Objects.requireNonNull(code, "code");
        if (name.isBlank() || name.contains("\\") || name.contains("/")) {
            throw new IllegalArgumentException("a driver name is a non-empty service name without slashes: '" + name + "'");
        }
    }

    /** A driver image for an entry class already loaded (the in-process host, the test kit). */
    public static DriverImage of(String name, Class<? extends Driver> entryClass) {
        return new DriverImage(name, entryClass.getName(), DriverCode.of(entryClass), entryClass.getName());
    }

    /**
     * Loads the entry class and makes the driver with its public no-argument constructor. Driver code runs here
     * (static initializers, the constructor): the I/O manager calls it on the driver's system worker.
     *
     * @throws IllegalStateException naming what is wrong: no such class, not a {@link Driver}, no usable
     *                               constructor, or the constructor's exception (as the cause)
     */
    Driver newDriver() {
        Class<?> type;
        try {
            type = code.loadClass(entryClass);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("entry class " + entryClass + " not found in " + code.holder(), e);
        }
        if (!Driver.class.isAssignableFrom(type)) {
            throw new IllegalStateException("entry class " + entryClass + " does not implement "
                    + Driver.class.getName() + " (as the host sees it: does the bundle import dev.ringzero.api?)");
        }
        try {
            return (Driver) type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the constructor of " + entryClass + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + entryClass
                    + ": it needs a public no-argument constructor (" + e + ")", e);
        }
    }
}
