package dev.ringzero.host.kd;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code dt}: a type's fields with their offsets, and at an address their values, in WinDbg's layout
 * ({@code    +0x008 ListEntry        : _LIST_ENTRY [ 0x80001038 - 0x80001038 ]}).
 *
 * <p>What Ringzero's layouts cannot say, and what is shown instead: a pointer and a {@code ULONG} are both
 * 4-byte {@code int} layouts ({@code NtLayouts.POINTER} is {@code ULONG}), so a 4-byte field is a
 * {@code Uint4B} (never {@code Ptr32 TYPE}) and its value is shown in hex ({@code 0x80001038}), which reads
 * the same for both. Unnamed padding is left out; named padding shows as {@code [N] UChar}. A
 * {@code LIST_ENTRY} field shows its two links; another nested structure shows its type name (found by shape
 * among the API's layouts, since a layout's one name is the field's), and with {@code -r} its fields, indented.
 */
public final class TypeDisplay {

    private static final int MAX_ARRAY_VALUES = 8;

    private final DebuggerTypes types;
    private final MemoryReader reader;

    public TypeDisplay(DebuggerTypes types, MemoryReader reader) {
        this.types = types;
        this.reader = reader;
    }

    /** {@code [-r] TYPE [ADDRESS]}, or {@code *} / {@code MODULE!*}, as typed. */
    public String display(String... args) {
        List<String> words = new ArrayList<>(Arrays.asList(args));
        boolean recursive = words.remove("-r");
        if (words.isEmpty() || words.size() > 2) {
            throw new KdError("dt: needs TYPE, and optionally an ADDRESS (dt SOME_STRUCTURE 80001010; dt * lists the types)");
        }
        String name = words.getFirst();
        if (name.equals("*") || name.endsWith("!*")) {
            return types.list(name.equals("*") ? null : name.substring(0, name.length() - 2));
        }
        DebuggerTypes.Type type = types.find("dt", name);
        if (words.size() == 1) {
            return type.qualifiedName() + "\n" + fields(asGroup(type.layout()), 0, null, recursive, "   ");
        }
        int address = KdArgs.address("dt", words.get(1));
        MemoryReader.Bytes bytes = reader.read(address, (int) type.layout().byteSize());
        if (!bytes.anyReadable()) {
            throw new KdError(String.format(Locale.ROOT, "dt: no live block holds %08x, so there is no %s to show there",
                    address, type.name()));
        }
        return fields(asGroup(type.layout()), 0, bytes, recursive, "   ");
    }

    /** A registered layout that is not a structure shows as one unnamed field. */
    private static GroupLayout asGroup(MemoryLayout layout) {
        return layout instanceof GroupLayout g ? g : java.lang.foreign.MemoryLayout.structLayout(layout);
    }

    /** The fields of {@code group} at {@code base} (an offset into {@code bytes}, which is null for the type alone). */
    String fields(GroupLayout group, long base, MemoryReader.Bytes bytes, boolean recursive, String indent) {
        int width = 16;
        for (MemoryLayout m : group.memberLayouts()) {
            width = Math.max(width, m.name().map(String::length).orElse(0));
        }
        StringBuilder sb = new StringBuilder();
        long offset = 0;
        for (MemoryLayout m : group.memberLayouts()) {
            long at = offset;
            if (group instanceof java.lang.foreign.StructLayout) {
                offset += m.byteSize();
            }
            if (m instanceof PaddingLayout && m.name().isEmpty()) {
                continue;
            }
            String head = String.format(Locale.ROOT, "%s+0x%03x %-" + width + "s : ", indent, base + at,
                    m.name().orElse("<unnamed>"));
            sb.append(head).append(value(m, base + at, bytes)).append('\n');
            if (recursive && m instanceof GroupLayout g) {
                sb.append(fields(g, base + at, bytes, true, indent + "   "));
            }
        }
        return sb.toString();
    }

    private static String value(MemoryLayout m, long at, MemoryReader.Bytes bytes) {
        return switch (m) {
            case ValueLayout v -> bytes == null ? typeName(v) : scalar(bytes, (int) at, (int) v.byteSize());
            case GroupLayout g when isListEntry(g) && bytes != null -> String.format(Locale.ROOT, "%s [ %s - %s ]",
                    groupName(g), scalar(bytes, (int) at, 4), scalar(bytes, (int) at + 4, 4));
            case GroupLayout g -> groupName(g);
            case SequenceLayout s -> sequence(s, at, bytes);
            case PaddingLayout p -> "[" + p.byteSize() + "] UChar";
        };
    }

    private static String sequence(SequenceLayout s, long at, MemoryReader.Bytes bytes) {
        MemoryLayout e = s.elementLayout();
        String head = "[" + s.elementCount() + "] ";
        if (!(e instanceof ValueLayout v)) {
            return head + (e instanceof GroupLayout g ? groupName(g) : e.toString());
        }
        if (bytes == null) {
            return head + typeName(v);
        }
        StringBuilder sb = new StringBuilder(head);
        long n = Math.min(s.elementCount(), MAX_ARRAY_VALUES);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(scalar(bytes, (int) (at + i * v.byteSize()), (int) v.byteSize()));
        }
        return sb.append(s.elementCount() > n ? " ..." : "").toString();
    }

    private static String scalar(MemoryReader.Bytes bytes, int index, int width) {
        if (!bytes.readable(index, width)) {
            return "??";
        }
        return "0x" + Long.toHexString(bytes.value(index, width));
    }

    /** WinDbg's names of the basic types, by size; see the class comment for pointers. */
    static String typeName(ValueLayout v) {
        if (v.carrier() == float.class) {
            return "Float";
        }
        if (v.carrier() == double.class) {
            return "Float8";
        }
        if (v.carrier() == char.class) {
            return "Wchar";
        }
        return switch ((int) v.byteSize()) {
            case 1 -> "UChar";
            case 2 -> "Uint2B";
            case 4 -> "Uint4B";
            default -> "Uint8B";
        };
    }

    private static boolean isListEntry(GroupLayout g) {
        return g.memberLayouts().size() == 2 && g.byteSize() == 8
                && g.memberLayouts().get(0).name().orElse("").equals("Flink")
                && g.memberLayouts().get(1).name().orElse("").equals("Blink");
    }

    /**
     * A nested structure's type: a layout keeps one name, which {@code withName} gives to the field, so the type
     * is found by shape among the API's layouts ({@code _LIST_ENTRY}); another shows as {@code struct (0xN bytes)}.
     */
    private static String groupName(GroupLayout g) {
        MemoryLayout shape = g.withoutName();
        for (MemoryLayout api : DebuggerTypes.API) {
            if (api.withoutName().equals(shape)) {
                return "_" + api.name().orElseThrow();
            }
        }
        return String.format(Locale.ROOT, "struct (0x%x bytes)", g.byteSize());
    }
}
