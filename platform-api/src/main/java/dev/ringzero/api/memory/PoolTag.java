package dev.ringzero.api.memory;


/**
 * Pool tags: four characters packed in a {@code ULONG}.
 *
 * <p>C source writes a tag as a multi-character literal in reverse, {@code 'msaW'}, whose value is
 * {@code 0x6D736157}; in memory (little-endian) its bytes read {@code W a s m}, so tools show it as
 * {@code Wasm}. {@link #of(String)} does the compiler's part, {@link #toString(int)} the debugger's.
 * The top bit is {@link #PROTECTED_POOL}; tags are compared with it stripped.
 */
public final class PoolTag {

    /** The tag {@code ExAllocatePool} uses: it displays as {@code None}. */
    public static final int NONE = of("enoN");

    /** {@code PROTECTED_POOL}: the tag bit asking for a matching tag at free. */
    public static final int PROTECTED_POOL = 0x8000_0000;

    private PoolTag() {
    }

    /**
     * The value of the C literal {@code 'xxxx'}: the first character in the high byte.
     *
     * @throws IllegalArgumentException unless {@code literal} is 1 to 4 ASCII characters
     */
    public static int of(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 4) {
            throw new IllegalArgumentException("a pool tag literal has 1 to 4 characters: " + quoted(literal));
        }
        int value = 0;
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c > 0x7F) {
                throw new IllegalArgumentException("a pool tag literal is ASCII: " + quoted(literal));
            }
            value = (value << 8) | c;
        }
        return value;
    }

    /** The tag whose display form (memory byte order) is {@code display}: {@code fromDisplay("Wasm") == of("msaW")}. */
    public static int fromDisplay(String display) {
        if (display == null || display.isEmpty() || display.length() > 4) {
            throw new IllegalArgumentException("a pool tag has 1 to 4 characters: " + quoted(display));
        }
        return of(new StringBuilder(display).reverse().toString());
    }

    /**
     * Checks a tag pattern as special pool by tag takes it ({@code dev.ringzero.spi.memory.ExecutivePool.setSpecialPoolTag}): a tag as
     * displayed, one to four printable ASCII characters, {@code ?} matching any one and {@code *} any rest.
     *
     * @return {@code pattern}
     * @throws IllegalArgumentException naming what is wrong with it
     * @since 1.1
     */
    public static String checkPattern(String pattern) {
        if (pattern == null || pattern.isEmpty() || pattern.length() > 4) {
            throw new IllegalArgumentException("tag pattern " + quoted(pattern)
                    + ": a tag as displayed, one to four characters (? any one, * any rest), e.g. Wasm, Ddk?, Lk*");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(String.format(
                        "tag pattern %s: character %d (U+%04X) is not printable ASCII", quoted(pattern), i + 1, (int) c));
            }
        }
        return pattern;
    }

    /** The tag as tools display it: its bytes in memory order, {@code PROTECTED_POOL} stripped. */
    public static String toString(int tag) {
        int t = tag & ~PROTECTED_POOL;
        char[] cs = new char[4];
        for (int i = 0; i < 4; i++) {
            int b = (t >>> (8 * i)) & 0xFF;
            cs[i] = b >= 0x20 && b < 0x7F ? (char) b : b == 0 ? ' ' : '?';
        }
        return new String(cs);
    }

    /** Whether two tags match as {@code ExFreePoolWithTag} compares them. */
    public static boolean matches(int a, int b) {
        return (a & ~PROTECTED_POOL) == (b & ~PROTECTED_POOL);
    }

    /** Whether a tag has at least one letter or digit (NT rejects tags that have none, 0xC2/0x9D). */
    public static boolean isPrintable(int tag) {
        int t = tag & ~PROTECTED_POOL;
        for (int i = 0; i < 4; i++) {
            int b = (t >>> (8 * i)) & 0xFF;
            if (b < 0x80 && Character.isLetterOrDigit(b)) {
                return true;
            }
        }
        return false;
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
