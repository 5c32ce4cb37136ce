package dev.ringzero.api;

/**
 * C {@code printf} formatting as an x86 NT kernel's {@code DbgPrint} does it.
 *
 * <p>Supported: {@code %d %i %u %x %X %o %c %s %p %%} with the flags {@code - 0 + space #}, a width
 * (or {@code *}), a precision, and the length prefixes {@code h l ll I64 w} (a length prefix other than
 * {@code ll}/{@code I64} changes nothing, because {@code int} and {@code long} are both 32 bits on x86).
 * An integer conversion without {@code ll}/{@code I64} uses the argument's low 32 bits, as a C
 * {@code va_arg(ap, int)} would; {@code %p} prints eight upper-case hex digits. Arguments may be any
 * {@link Number}, a {@link Character} or a {@link CharSequence}; a missing argument prints as
 * {@code (missing)} and a {@code null} string as {@code (null)}, so a bad format never throws.
 */
public final class CFormat {

    private CFormat() {
    }

    /** Formats {@code format} with {@code args} like C's {@code sprintf}. */
    public static String sprintf(String format, Object... args) {
        StringBuilder out = new StringBuilder(format.length() + 16);
        int argIndex = 0;
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char ch = format.charAt(i);
            if (ch != '%') {
                out.append(ch);
                continue;
            }
            int start = i;
            i++;
            if (i >= n) {
                out.append('%');
                break;
            }
            boolean left = false, zero = false, plus = false, space = false, alt = false;
            for (; i < n; i++) {
                char f = format.charAt(i);
                if (f == '-') left = true;
                else if (f == '0') zero = true;
                else if (f == '+') plus = true;
                else if (f == ' ') space = true;
                else if (f == '#') alt = true;
                else break;
            }
            int width = 0;
            if (i < n && format.charAt(i) == '*') {
                width = argIndex < args.length ? (int) asLong(args[argIndex++], false) : 0;
                if (width < 0) {
                    left = true;
                    width = -width;
                }
                i++;
            } else {
                while (i < n && Character.isDigit(format.charAt(i))) {
                    width = width * 10 + (format.charAt(i++) - '0');
                }
            }
            int precision = -1;
            if (i < n && format.charAt(i) == '.') {
                i++;
                precision = 0;
                if (i < n && format.charAt(i) == '*') {
                    precision = argIndex < args.length ? (int) asLong(args[argIndex++], false) : 0;
                    i++;
                } else {
                    while (i < n && Character.isDigit(format.charAt(i))) {
                        precision = precision * 10 + (format.charAt(i++) - '0');
                    }
                }
            }
            boolean wide = false;
            while (i < n) {
                char l = format.charAt(i);
                if (l == 'h' || l == 'w' || l == 'z' || l == 'j' || l == 't') {
                    i++;
                } else if (l == 'l') {
                    if (i + 1 < n && format.charAt(i + 1) == 'l') {
                        wide = true;
                        i += 2;
                    } else {
                        i++;
                    }
                } else if (l == 'I' && format.startsWith("I64", i)) {
                    wide = true;
                    i += 3;
                } else if (l == 'I' && format.startsWith("I32", i)) {
                    i += 3;
                } else {
                    break;
                }
            }
            if (i >= n) {
                out.append(format, start, n);
                break;
            }
            char conv = format.charAt(i);
            if (conv == '%') {
                out.append('%');
                continue;
            }
            if ("diuxXocCsSpP".indexOf(conv) < 0) {
                out.append(format, start, i + 1); // unknown conversion: print it as written
                continue;
            }
            Object arg = argIndex < args.length ? args[argIndex++] : Missing.INSTANCE;
            String body;
            String sign = "";
            String prefix = "";
            switch (conv) {
                case 'd', 'i' -> {
                    if (arg == Missing.INSTANCE) {
                        body = "(missing)";
                        break;
                    }
                    long v = asLong(arg, wide);
                    if (!wide) v = (int) v;
                    if (v < 0) {
                        sign = "-";
                        body = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(-v);
                    } else {
                        sign = plus ? "+" : space ? " " : "";
                        body = Long.toString(v);
                    }
                    body = applyIntPrecision(body, precision);
                }
                case 'u', 'x', 'X', 'o', 'p', 'P' -> {
                    if (arg == Missing.INSTANCE) {
                        body = "(missing)";
                        break;
                    }
                    long v = asLong(arg, wide);
                    if (!wide) v &= 0xFFFF_FFFFL;
                    body = switch (conv) {
                        case 'u' -> Long.toUnsignedString(v);
                        case 'x' -> Long.toHexString(v);
                        case 'o' -> Long.toOctalString(v);
                        default -> Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
                    };
                    if (conv == 'p' || conv == 'P') {
                        body = "0".repeat(Math.max(0, (wide ? 16 : 8) - body.length())) + body;
                    } else {
                        body = applyIntPrecision(body, precision);
                        if (alt && v != 0) {
                            prefix = conv == 'x' ? "0x" : conv == 'X' ? "0X" : conv == 'o' ? "0" : "";
                        }
                    }
                }
                case 'c', 'C' -> {
                    if (arg instanceof Character c) body = String.valueOf(c);
                    else if (arg instanceof Number num) body = String.valueOf((char) (num.intValue() & 0xFFFF));
                    else body = arg == Missing.INSTANCE ? "(missing)" : String.valueOf(arg);
                    zero = false;
                }
                default -> { // s, S
                    body = arg == null ? "(null)" : arg == Missing.INSTANCE ? "(missing)" : arg.toString();
                    if (precision >= 0 && precision < body.length()) body = body.substring(0, precision);
                    zero = false;
                }
            }
            int len = sign.length() + prefix.length() + body.length();
            if (len >= width) {
                out.append(sign).append(prefix).append(body);
            } else if (left) {
                out.append(sign).append(prefix).append(body).append(" ".repeat(width - len));
            } else if (zero && precision < 0) {
                out.append(sign).append(prefix).append("0".repeat(width - len)).append(body);
            } else {
                out.append(" ".repeat(width - len)).append(sign).append(prefix).append(body);
            }
        }
        return out.toString();
    }

    private static String applyIntPrecision(String digits, int precision) {
        if (precision < 0) return digits;
        if (precision == 0 && digits.equals("0")) return "";
        return digits.length() >= precision ? digits : "0".repeat(precision - digits.length()) + digits;
    }

    private static long asLong(Object arg, boolean wide) {
        return switch (arg) {
            case Integer v -> wide ? v & 0xFFFF_FFFFL : v;
            case Number v -> v.longValue();
            case Character c -> c;
            case Boolean b -> b ? 1 : 0;
            case null -> 0;
            default -> 0;
        };
    }

    private enum Missing { INSTANCE }
}
