package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * One {@link LookasideSystem}'s registered implementations, by name, the built-in {@code nt} first: adding one,
 * refusing to remove one that serves lists, and retiring one that cannot stay (its bundle is going) until its last
 * list is gone. Not thread-safe: every method runs under the system's registry lock, which also guards the lists
 * whose owners {@code owners} names; the {@code whenGone}s it queues run after the lock is released.
 */
final class Implementations {

    private final LinkedHashMap<String, Implementation> byName = new LinkedHashMap<>();
    /** The {@code whenGone}s of retired implementations that went idle, to run outside the lock. */
    private final List<Runnable> pendingGone = new ArrayList<>();
    /** The drivers whose live or stranded lists an implementation serves, sorted. */
    private final Function<Implementation, List<String>> owners;

    Implementations(Function<Implementation, List<String>> owners) {
        this.owners = owners;
    }

    List<LookasideProvider> providers() {
        return List.copyOf(byName.values());
    }

    /** @throws IllegalArgumentException naming the one registered, when the name is taken */
    Implementation add(LookasideSystem system, LookasidePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        String name = Objects.requireNonNull(policy.name(), () -> policy.getClass().getName() + ".name() is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("lookaside policy " + policy.getClass().getName() + " has a blank name");
        }
        Implementation held = byName.get(name);
        if (held != null) {
            throw new IllegalArgumentException("a lookaside implementation named '" + name + "' is registered already ("
                    + held.policy.getClass().getName() + ")");
        }
        Implementation i = new Implementation(system, policy);
        byName.put(name, i);
        return i;
    }

    /** @throws NoSuchElementException naming the registered ones */
    Implementation get(String name) {
        Implementation i = byName.get(name);
        if (i == null) {
            throw new NoSuchElementException("no lookaside implementation '" + name + "'; known: " + byName.keySet());
        }
        return i;
    }

    /** Whether {@code i} is the one registered under its name (not yet removed). */
    boolean isRegistered(Implementation i) {
        return byName.get(i.name()) == i;
    }

    /** @throws IllegalStateException naming the drivers it serves, or when it is the built-in */
    void unregister(String name) {
        Implementation i = removable(name);
        List<String> serving = owners.apply(i);
        if (!serving.isEmpty()) {
            throw new IllegalStateException("lookaside implementation '" + name + "' still serves lists of "
                    + String.join(", ", serving) + "; they must be deleted first");
        }
        i.retired = true;
        byName.remove(name);
    }

    /** Marks {@code name} retired (no new lists); gone at once if idle, else when its last list goes. */
    Implementation retire(String name, Runnable whenGone) {
        Implementation i = removable(name);
        i.retired = true;
        i.whenGone = Objects.requireNonNull(whenGone, "whenGone");
        goneIfIdle(i);
        return i;
    }

    /**
     * A retired implementation that serves nothing any more (no live list, no stranded entries) leaves the table,
     * and its {@code whenGone} is queued for {@link #takeGone()}.
     */
    void goneIfIdle(Implementation i) {
        if (i.retired && i.whenGone != null && owners.apply(i).isEmpty()) {
            byName.remove(i.name(), i);
            pendingGone.add(i.whenGone);
            i.whenGone = null;
        }
    }

    /** The queued {@code whenGone}s, now owned by the caller, who runs them outside the lock. */
    List<Runnable> takeGone() {
        if (pendingGone.isEmpty()) {
            return List.of();
        }
        List<Runnable> run = List.copyOf(pendingGone);
        pendingGone.clear();
        return run;
    }

    private Implementation removable(String name) {
        Implementation i = get(name);
        if (i.policy instanceof NtLookasidePolicy) {
            throw new IllegalStateException("lookaside implementation '" + name
                    + "' is the executive's built-in default and cannot be removed");
        }
        return i;
    }
}
