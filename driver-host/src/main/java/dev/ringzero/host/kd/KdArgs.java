package dev.ringzero.host.kd;

/** Reading the words of a debugger command as WinDbg does: hex by default, {@code 0x} allowed, {@code 0n} decimal. */
public final class KdArgs {

    private KdArgs() {
    }

    /** A 32-bit address in hex ({@code 80001010}, {@code 0x80001010}); one line naming it when it is not one. */
    public static int address(String command, String word) {
        Long v = parse(word);
        if (v == null || v < 0 || v > 0xFFFF_FFFFL) {
            throw new KdError(command + ": not an address: " + word + " (hex, as 80001010)");
        }
        return (int) (long) v;
    }

    /** A number in WinDbg's default radix; one line naming {@code what} when it is not one. */
    public static long number(String command, String what, String word) {
        Long v = parse(word);
        if (v == null) {
            throw new KdError(command + ": not a number for " + what + ": " + word + " (hex; 0n for decimal)");
        }
        return v;
    }

    /** Hex, with or without {@code 0x}; decimal with {@code 0n}; {@code null} when neither. */
    static Long parse(String word) {
        String t = word.toLowerCase();
        int radix = 16;
        if (t.startsWith("0n")) {
            radix = 10;
            t = t.substring(2);
        } else if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        t = t.replace("`", ""); // WinDbg's separator in 64-bit values: 00000000`80001010
        if (t.isEmpty() || t.length() > 16) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(t, radix);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
