package dev.ringzero.api;

import java.util.Objects;

/**
 * Who owns a pool block or a lookaside list: a loaded driver instance, or the system itself.
 *
 * <p>Each load of a driver is a new owner (the {@code instance} number differs), so what a driver left
 * behind in an earlier load is never confused with what the current load owns.
 *
 * @param name     the driver's service name ({@code LookasideList}), or {@code System}
 * @param instance a number unique to this load within the host; {@code 0} for the system
 */
public record Owner(String name, long instance) {

    /** The executive itself: the host's own allocations and lists. */
    public static final Owner SYSTEM = new Owner("System", 0);

    public Owner {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("owner name is blank");
        }
    }

    @Override
    public String toString() {
        return instance == 0 ? name : name + "#" + instance;
    }
}
