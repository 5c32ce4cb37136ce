package dev.ringzero.host.allocators;

import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.host.core.Executive;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The lookaside implementations a host knows, where each came from, and what becomes of one whose jar goes
 * away: the part of live allocator deployment that knows nothing of OSGi (the framework side is
 * {@code felix.AllocatorBundles}).
 *
 * <h2>Life of a deployed implementation</h2>
 * <ol>
 *   <li><b>Deployed</b> ({@link #deployed}): a bundle in {@code allocators/} registered its {@link LookasidePolicy};
 *       the registry makes the executive's provider for it ({@link LookasideRegistry#register}), which is added to the
 *       executive, not selected (an administrator selects it: {@code kd:allocators select NAME}).</li>
 *   <li><b>Serving</b>: selected, new lists are made by it; a list stays with the implementation that made it
 *       until the list is deleted. {@code kd:allocators remove NAME} is refused while it serves lists, naming
 *       their drivers.</li>
 *   <li><b>Withdrawn</b> ({@link #withdrawn}): its jar was deleted (FileInstall uninstalls the bundle; OSGi has
 *       no veto). It is deselected (new lists go to the default) and retired ({@link LookasideRegistry#retire}):
 *       it makes no new list, and the lists it serves go on working until deleted — its classes were loaded
 *       before this could happen, see {@link ClassPreload}. The removal is reported naming their drivers.</li>
 *   <li><b>Gone</b> ({@link #reap}): once the registry has unregistered it (its last list deleted) it is taken
 *       out of the executive, and that is reported too.</li>
 * </ol>
 * Built-in implementations (the executive's own, on the module path) are listed as {@value #BUILT_IN}; only
 * {@code kd:allocators remove} takes one away.
 *
 * <p>Thread-safe: every method holds this object's lock (the shell's thread, the framework's service events and
 * the host's reaper call it).
 */
public final class AllocatorCatalog {

    /** The version shown for an implementation of the executive's own module path. */
    public static final String BUILT_IN = "built-in";

    private enum State { ACTIVE, WITHDRAWN }

    private static final class Entry {
        /** The deployed policy, or {@code null} for an implementation the executive came with. */
        final LookasidePolicy policy;
        final LookasideProvider provider;
        final String version;
        /** Where the jar was ({@code allocators/guarded.jar}), or {@code null} for a built-in one. */
        final String origin;
        State state = State.ACTIVE;
        /** Set by the registry (on the thread that deleted the last list) once a retired implementation is unregistered. */
        volatile boolean gone;

        Entry(LookasidePolicy policy, LookasideProvider provider, String version, String origin) {
            this.policy = policy;
            this.provider = provider;
            this.version = version;
            this.origin = origin;
        }
    }

    private final Executive executive;
    private final LookasideRegistry registry;
    private final Consumer<String> report;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Where new lists go when a selected implementation is withdrawn: the first built-in one. */
    private final String fallback;

    /**
     * @param report where the lines about deployed implementations go (the host log and the console)
     */
    public AllocatorCatalog(Executive executive, Consumer<String> report) {
        this.executive = Objects.requireNonNull(executive, "executive");
        this.registry = executive.lookasideRegistry();
        this.report = Objects.requireNonNull(report, "report");
        for (LookasideProvider p : executive.lookasideProviders().values()) {
            entries.put(p.name(), new Entry(null, p, BUILT_IN, null));
        }
        this.fallback = executive.selectedLookaside().name();
    }

    /**
     * A policy a bundle of {@code allocators/} registered: registered with the executive's registry and its provider
     * added to the executive, unless its name is taken (then one line says by what, and nothing changes).
     *
     * @param version the bundle's version
     * @param origin  the jar, as the user knows it ({@code allocators/guarded.jar})
     * @return whether it was added
     */
    public synchronized boolean deployed(LookasidePolicy policy, String version, String origin) {
        String name = policy.name();
        Entry taken = entries.get(name);
        if (taken != null) {
            report.accept("allocators/: " + origin + " not added: its implementation's name '" + name + "' is taken by "
                    + describe(taken));
            return false;
        }
        LookasideProvider provider;
        try {
            provider = registry.register(policy);
        } catch (IllegalArgumentException | NullPointerException e) {
            report.accept("allocators/: " + origin + " not added: " + e.getMessage());
            return false;
        }
        entries.put(name, new Entry(policy, provider, version, origin));
        executive.addLookaside(provider);
        report.accept("allocators/: '" + name + "' " + version + " (" + origin + ") added; 'allocators select " + name
                + "' makes new lists use it");
        return true;
    }

    /**
     * The bundle that registered {@code policy} went away (its jar deleted, updated or the bundle stopped): it is
     * deselected if selected and retired — taken out now if it serves no list, else kept for its lists until they
     * are deleted — and the removal reported naming their drivers.
     */
    public synchronized void withdrawn(LookasidePolicy policy) {
        Entry e = entries.get(policy.name());
        if (e == null || e.policy != policy || e.state != State.ACTIVE) {
            return;   // removed by the administrator before, or never added
        }
        String name = policy.name();
        boolean wasSelected = executive.selectedLookaside() == e.provider;
        if (wasSelected) {
            executive.selectLookaside(fallback);
        }
        List<LookasideInfo> lists;
        try {
            lists = registry.retire(name, () -> e.gone = true);
        } catch (NoSuchElementException alreadyUnregistered) {
            lists = List.of();
            e.gone = true;
        }
        String newLists = wasSelected ? "; new lists use '" + fallback + "'" : "";
        e.state = State.WITHDRAWN;
        if (e.gone) {
            forget(e);
            report.accept("allocators/: '" + name + "' " + e.version + " (" + e.origin + ") removed" + newLists);
            return;
        }
        report.accept("allocators/: " + e.origin + " was removed while '" + name + "' serves " + lists.size()
                + " list(s) of " + String.join(", ", owners(lists)) + ": they keep working until deleted" + newLists);
    }

    /** Takes out every withdrawn implementation the registry has unregistered since; the host calls this once a second. */
    public synchronized void reap() {
        for (Entry e : List.copyOf(entries.values())) {
            if (e.state == State.WITHDRAWN && e.gone) {
                forget(e);
                report.accept("allocators/: '" + e.provider.name() + "' " + e.version + " (" + e.origin + ", removed)"
                        + " served its last list; unregistered");
            }
        }
    }

    private void forget(Entry e) {
        entries.remove(e.provider.name());
        if (executive.lookasideProviders().get(e.provider.name()) == e.provider) {
            executive.removeLookaside(e.provider.name());   // unregistered: it serves no list, and it was deselected
        }
    }

    /**
     * {@code kd:allocators}: one line per implementation — {@code *} on the one serving new lists, its name, the
     * lists it serves and their drivers, its version ({@value #BUILT_IN} or the bundle's) and its jar.
     */
    public synchronized String render() {
        refreshFromExecutive();
        String selected = executive.selectedLookaside().name();
        int width = entries.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries.values()) {
            List<LookasideInfo> lists = e.provider.lists();
            String name = e.provider.name();
            sb.append(name.equals(selected) ? "* " : "  ").append(String.format("%-" + width + "s", name))
                    .append("  ").append(lists.size()).append(" list(s)");
            if (!lists.isEmpty()) {
                sb.append(" of ").append(String.join(", ", owners(lists)));
            }
            sb.append("  [").append(e.version);
            if (e.origin != null) {
                sb.append(", ").append(e.origin);
            }
            if (e.state == State.WITHDRAWN) {
                sb.append(", jar removed: serves its lists until they are deleted");
            }
            sb.append("]\n");
        }
        return sb.append("(* serves new lists)\n").toString();
    }

    /**
     * {@code kd:allocators select NAME}: new lists use {@code name}; the lists made before stay where they are.
     *
     * @return the one line to show
     */
    public synchronized String select(String name) {
        refreshFromExecutive();
        Entry e = entries.get(name);
        if (e != null && e.state == State.WITHDRAWN) {
            return "allocators select: '" + name + "' was removed from allocators/ and only serves its remaining lists";
        }
        try {
            executive.selectLookaside(name);
        } catch (IllegalArgumentException ex) {
            return "allocators select: " + ex.getMessage();
        }
        return "new lookaside lists use '" + name + "'; existing lists stay with their implementation";
    }

    /**
     * {@code kd:allocators remove NAME}: refused while it serves lists (naming their drivers) or is selected.
     * A deployed implementation's jar stays in {@code allocators/}: deleting it, or dropping it there again,
     * is the administrator's next step.
     *
     * @return the one line to show
     */
    public synchronized String remove(String name) {
        refreshFromExecutive();
        Entry e = entries.get(name);
        if (e != null && e.state == State.WITHDRAWN) {
            return "allocators remove: '" + name + "' was removed from allocators/ already; it goes when its last list is"
                    + " deleted";
        }
        try {
            executive.removeLookaside(name);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            return "allocators remove: " + ex.getMessage();
        }
        try {
            registry.unregister(name);
        } catch (IllegalStateException ex) {
            if (e != null && !e.provider.lists().isEmpty()) {   // a list made between the two checks: keep it
                executive.addLookaside(e.provider);
                return "allocators remove: " + ex.getMessage();
            }
            // the built-in nt stays registered (the registry keeps its default), but is offered for no new list
        } catch (NoSuchElementException notRegistered) {
            // an implementation a system/ bundle added as a provider of its own: the executive's removal is all
        }
        entries.remove(name);
        return e == null || e.origin == null ? "lookaside implementation '" + name + "' removed"
                : "lookaside implementation '" + name + "' removed; its jar " + e.origin + " stays (drop it there again"
                        + " to add it back)";
    }

    /** Whether {@code name} is known and still served by a deployed jar (not withdrawn); for tests and the shell. */
    public synchronized boolean isDeployed(String name) {
        Entry e = entries.get(name);
        return e != null && e.origin != null && e.state == State.ACTIVE;
    }

    /**
     * Picks up implementations added to the executive by other means (the trusted bundles of {@code system/}, which
     * the executive's own service tracking adds) and drops those removed from it.
     */
    private void refreshFromExecutive() {
        Map<String, LookasideProvider> inExecutive = executive.lookasideProviders();
        entries.values().removeIf(e -> e.state == State.ACTIVE && inExecutive.get(e.provider.name()) != e.provider);
        inExecutive.forEach((name, p) -> entries.computeIfAbsent(name, n -> new Entry(null, p, "system/", null)));
    }

    private static List<String> owners(List<LookasideInfo> lists) {
        return new ArrayList<>(lists.stream().map(l -> l.owner().name()).distinct().sorted().toList());
    }

    private static String describe(Entry e) {
        return e.origin == null ? "a " + e.version + " implementation" : e.origin + " (" + e.version + ")";
    }
}
