package dev.ringzero.host.kd;

import java.lang.foreign.MemoryLayout;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * {@code !list}: a documented subset of WinDbg's — {@code -t TYPE.FIELD [-x "COMMAND"] [-m MAX] [-e] ADDRESS}.
 * ADDRESS is the first structure (not its link); FIELD, a path of fields ({@code ListEntry} or
 * {@code ListEntry.Flink}), holds the pointer to the next structure's FIELD, so the next structure is that
 * pointer less FIELD's offset. For each structure COMMAND runs with the structure's address appended, or put
 * where {@code $extret} stands; COMMAND is one of the debugger's display commands ({@code dt TYPE}, {@code db},
 * {@code dw}, {@code dd}, {@code dq}, {@code pool}), {@code dd} when not given (WinDbg's {@code dp} on a
 * 32-bit target). {@code -e} echoes each command, {@code -m} stops after MAX structures.
 *
 * <p>The walk stops at a NULL link, at a link back to the first structure (WinDbg's two rules), and — Ringzero's
 * third — at a link to where no whole structure of TYPE lies in one live block: in a list with a head
 * ({@code InitializeListHead}), that is the head, which WinDbg would show as one more structure.
 */
public final class ListWalk {

    /** Runs one display command of the debugger. */
    public interface Commands {
        String run(String command, String... args);
    }

    /** The commands {@code -x} may run: the displays, which only read. */
    static final Set<String> DISPLAYS = Set.of("dt", "db", "dw", "dd", "dq", "pool");

    /** A list walked without {@code -m} stops here, so a corrupted ring cannot run forever. */
    static final int DEFAULT_MAX = 1024;

    private final DebuggerTypes types;
    private final MemoryReader reader;
    private final Commands commands;

    public ListWalk(DebuggerTypes types, MemoryReader reader, Commands commands) {
        this.types = types;
        this.reader = reader;
        this.commands = commands;
    }

    /** The words typed after {@code list}. */
    public String walk(String... args) {
        String typeField = null;
        String command = "dd";
        long max = DEFAULT_MAX;
        boolean echo = false;
        String start = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-t" -> typeField = value(args, ++i, "-t", "TYPE.FIELD");
                case "-x" -> command = value(args, ++i, "-x", "\"COMMAND\"");
                case "-m" -> max = KdArgs.number("list", "-m", value(args, ++i, "-m", "MAX"));
                case "-e" -> echo = true;
                default -> {
                    if (a.startsWith("-") || start != null) {
                        throw new KdError("list: unknown option or extra word: " + a
                                + " (-t TYPE.FIELD [-x \"COMMAND\"] [-m MAX] [-e] ADDRESS)");
                    }
                    start = a;
                }
            }
        }
        if (typeField == null || start == null) {
            throw new KdError("list: needs -t TYPE.FIELD and the ADDRESS of the first structure");
        }
        int dot = typeField.indexOf('.');
        if (dot <= 0 || dot == typeField.length() - 1) {
            throw new KdError("list: -t takes TYPE.FIELD (SOME_STRUCTURE.ListEntry), not: " + typeField);
        }
        DebuggerTypes.Type type = types.find("list", typeField.substring(0, dot));
        long offset = offset(type, typeField.substring(dot + 1));
        String[] words = command.trim().split("\\s+");
        if (!DISPLAYS.contains(words[0])) {
            throw new KdError("list: -x runs one of " + String.join(", ", DISPLAYS.stream().sorted().toList())
                    + ", not: " + words[0]);
        }
        int first = KdArgs.address("list", start);
        return walk(type, first, (int) offset, words, (int) Math.min(max, Integer.MAX_VALUE), echo);
    }

    private String walk(DebuggerTypes.Type type, int first, int offset, String[] command, int max, boolean echo) {
        int size = (int) type.layout().byteSize();
        if (!wholeStructureAt(first, size)) {
            throw new KdError(String.format(Locale.ROOT, "list: no %s in a live block at %08x", type.name(), first));
        }
        StringBuilder sb = new StringBuilder();
        int current = first;
        for (int n = 0; ; n++) {
            if (n == max) {
                sb.append(String.format(Locale.ROOT, "(stopped after %d structures: -m)%n", max));
                break;
            }
            String[] args = arguments(command, current);
            if (echo) {
                sb.append(command[0]).append(' ').append(String.join(" ", args)).append('\n');
            }
            sb.append(commands.run(command[0], args)).append('\n');
            Integer link = reader.readInt(current + offset);
            if (link == null) {
                sb.append(String.format(Locale.ROOT, "(the link at %08x cannot be read)%n", current + offset));
                break;
            }
            int next = link - offset;
            if (link == 0 || next == first) {
                break;
            }
            if (!wholeStructureAt(next, size)) {
                sb.append(String.format(Locale.ROOT, "(%08x: the list head; no %s in a live block at %08x)%n", link,
                        type.name(), next));
                break;
            }
            current = next;
        }
        return sb.toString();
    }

    private static String[] arguments(String[] command, int address) {
        String a = String.format(Locale.ROOT, "%08x", address);
        String[] rest = Arrays.copyOfRange(command, 1, command.length);
        boolean placed = false;
        for (int i = 0; i < rest.length; i++) {
            if (rest[i].contains("$extret")) {
                rest[i] = rest[i].replace("$extret", a);
                placed = true;
            }
        }
        if (placed) {
            return rest;
        }
        String[] withAddress = Arrays.copyOf(rest, rest.length + 1);
        withAddress[rest.length] = a;
        return withAddress;
    }

    private boolean wholeStructureAt(int address, int size) {
        MemoryReader.Bytes b = reader.read(address, size);
        return b.readable(0, size);
    }

    private static long offset(DebuggerTypes.Type type, String fieldPath) {
        MemoryLayout.PathElement[] path = Arrays.stream(fieldPath.split("\\."))
                .map(MemoryLayout.PathElement::groupElement).toArray(MemoryLayout.PathElement[]::new);
        try {
            return type.layout().byteOffset(path);
        } catch (IllegalArgumentException e) {
            throw new KdError("list: " + type.name() + " has no field " + fieldPath);
        }
    }

    private static String value(String[] args, int i, String option, String what) {
        if (i >= args.length) {
            throw new KdError("list: " + option + " needs " + what);
        }
        return args[i];
    }
}
