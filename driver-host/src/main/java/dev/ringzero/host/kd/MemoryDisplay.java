package dev.ringzero.host.kd;

import java.util.Locale;

/**
 * {@code db}, {@code dw}, {@code dd}, {@code dq}: memory as bytes with their ASCII characters, 16-bit words,
 * 32-bit double words or 64-bit quad words, in WinDbg's layout — each line the address of its first unit and
 * 16 bytes' worth of units ({@code db} puts a hyphen between the eighth and ninth byte, then the characters,
 * a period for an unprintable one; {@code dq} writes a value as two halves joined by a backtick). A unit that
 * is not in a live block shows as question marks. Without {@code L}, 128 bytes, as WinDbg's default counts.
 */
public final class MemoryDisplay {

    /** The unit of each command. */
    public enum Unit {
        BYTE("db", 1), WORD("dw", 2), DWORD("dd", 4), QWORD("dq", 8);

        final String command;
        final int width;

        Unit(String command, int width) {
            this.command = command;
            this.width = width;
        }
    }

    /** At most this many bytes in one display: a debugger session's screenful many times over. */
    static final int MAX_BYTES = 64 * 1024;

    private static final int LINE_BYTES = 16;
    private static final int DEFAULT_BYTES = 128;

    private final MemoryReader reader;

    public MemoryDisplay(MemoryReader reader) {
        this.reader = reader;
    }

    /** {@code ADDRESS [L COUNT]}, as typed. */
    public String display(Unit unit, String... args) {
        if (args.length == 0) {
            throw new KdError(unit.command + ": needs an ADDRESS (hex, as 80001010)");
        }
        int address = KdArgs.address(unit.command, args[0]);
        long count = DEFAULT_BYTES / unit.width;
        if (args.length > 1) {
            String l = args[1];
            String countWord;
            if (l.equalsIgnoreCase("L") && args.length == 3) {
                countWord = args[2];
            } else if ((l.startsWith("L") || l.startsWith("l")) && l.length() > 1 && args.length == 2) {
                countWord = l.substring(1);
            } else {
                throw new KdError(unit.command + ": after the address only L COUNT may follow (L20, L 20, L0n32), not: "
                        + String.join(" ", java.util.Arrays.copyOfRange(args, 1, args.length)));
            }
            count = KdArgs.number(unit.command, "L", countWord);
            if (count <= 0 || count * unit.width > MAX_BYTES) {
                throw new KdError(String.format(Locale.ROOT, "%s: L %s is outside 1..0x%x %s", unit.command, countWord,
                        MAX_BYTES / unit.width, unit.name().toLowerCase(Locale.ROOT) + "s"));
            }
        }
        return render(unit, address, (int) count);
    }

    /** {@code count} units from {@code address}. */
    public String render(Unit unit, int address, int count) {
        int bytes = count * unit.width;
        MemoryReader.Bytes b = reader.read(address, bytes);
        StringBuilder sb = new StringBuilder();
        for (int line = 0; line < bytes; line += LINE_BYTES) {
            sb.append(String.format(Locale.ROOT, "%08x ", address + line));
            int end = Math.min(bytes, line + LINE_BYTES);
            for (int i = line; i < end; i += unit.width) {
                sb.append(unit == Unit.BYTE && i == line + 8 ? '-' : ' ');
                sb.append(unit(b, i, unit.width));
            }
            if (unit == Unit.BYTE) {
                sb.append("   ".repeat((line + LINE_BYTES - end))).append("  ");
                for (int i = line; i < end; i++) {
                    int c = b.values()[i] & 0xFF;
                    sb.append(!b.readable(i, 1) ? '?' : c >= 0x20 && c < 0x7F ? (char) c : '.');
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String unit(MemoryReader.Bytes b, int index, int width) {
        if (!b.readable(index, width)) {
            return width == 8 ? "????????`????????" : "??".repeat(width);
        }
        long v = b.value(index, width);
        return switch (width) {
            case 1 -> String.format(Locale.ROOT, "%02x", v);
            case 2 -> String.format(Locale.ROOT, "%04x", v);
            case 4 -> String.format(Locale.ROOT, "%08x", v);
            default -> String.format(Locale.ROOT, "%08x`%08x", v >>> 32, v & 0xFFFF_FFFFL);
        };
    }
}
