package dev.ringzero.host.kd;

import dev.ringzero.host.core.LoadedDriver;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.host.core.IoManager;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The types {@code dt} and {@code !list} know: the API's structure layouts (module {@code nt}, as WinDbg
 * names the kernel's types) and the layouts each loaded driver registered
 * ({@code DriverObject.registerDebuggerType}, module = the driver's name). A name is looked up as WinDbg
 * does: {@code MODULE!NAME} in that module, a bare name in every module, and a leading underscore (NT's
 * structure tags, {@code _LIST_ENTRY}) is optional; case does not matter.
 */
public final class DebuggerTypes {

    /** A type and the module it comes from. */
    public record Type(String module, MemoryLayout layout) {
        public String name() {
            return layout.name().orElseThrow();
        }

        /** {@code nt!_LIST_ENTRY}, {@code LookasideList!SOME_STRUCTURE}: how {@code dt} heads its display. */
        public String qualifiedName() {
            return module + "!" + (module.equals(NT) ? "_" : "") + name();
        }
    }

    static final String NT = "nt";

    /** The API's layouts ({@link NtLayouts}). */
    static final List<StructLayout> API = List.of(NtLayouts.LIST_ENTRY, NtLayouts.SINGLE_LIST_ENTRY,
            NtLayouts.SLIST_HEADER, NtLayouts.GENERAL_LOOKASIDE, NtLayouts.FAST_MUTEX, NtLayouts.PAGED_LOOKASIDE_LIST,
            NtLayouts.NPAGED_LOOKASIDE_LIST, NtLayouts.LOOKASIDE_LIST_EX);

    private final IoManager io;

    public DebuggerTypes(IoManager io) {
        this.io = io;
    }

    /** Every type, by module then name. */
    public List<Type> all() {
        List<Type> all = new ArrayList<>();
        API.forEach(l -> all.add(new Type(NT, l)));
        for (LoadedDriver d : io.drivers().values()) {
            new TreeMap<>(d.debuggerTypes()).values().forEach(l -> all.add(new Type(d.name(), l)));
        }
        return all;
    }

    /**
     * The type {@code name} names.
     *
     * @throws KdError naming what was not found, or the modules that share a bare name
     */
    public Type find(String command, String name) {
        int bang = name.indexOf('!');
        String module = bang < 0 ? null : name.substring(0, bang);
        String bare = strip(bang < 0 ? name : name.substring(bang + 1));
        List<Type> matches = all().stream()
                .filter(t -> module == null || t.module().equalsIgnoreCase(module))
                .filter(t -> strip(t.name()).equals(bare))
                .toList();
        if (matches.isEmpty()) {
            throw new KdError(command + ": no type " + name + " (dt * lists the types; a driver registers its own with"
                    + " DriverObject.registerDebuggerType)");
        }
        if (matches.size() > 1) {
            throw new KdError(command + ": " + name + " is a type of " + String.join(" and ",
                    matches.stream().map(Type::module).toList()) + "; write MODULE!" + matches.getFirst().name());
        }
        return matches.getFirst();
    }

    /** The types listed as {@code dt *} shows them: one qualified name and size per line. */
    public String list(String module) {
        Map<String, Long> sorted = new TreeMap<>();
        for (Type t : all()) {
            if (module == null || t.module().equalsIgnoreCase(module)) {
                sorted.put(t.qualifiedName(), t.layout().byteSize());
            }
        }
        if (sorted.isEmpty()) {
            throw new KdError("dt: no types in module " + module);
        }
        StringBuilder sb = new StringBuilder();
        sorted.forEach((n, size) -> sb.append(String.format(Locale.ROOT, "          %-40s size 0x%x%n", n, size)));
        return sb.toString();
    }

    private static String strip(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.startsWith("_") ? n.substring(1) : n;
    }
}
