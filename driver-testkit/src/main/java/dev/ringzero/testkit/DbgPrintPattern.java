package dev.ringzero.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An expected {@code DbgPrint} line written as the driver wrote it: a C format string whose
 * conversions match whatever {@code DbgPrint} could have printed there, and whose other characters
 * match themselves. So a test can expect {@code "+ Memory block allocated at address %08X"} and get the
 * address back, or {@code "+ Entry #3 added"} and get an exact match.
 *
 * <table>
 *   <caption>What a conversion matches</caption>
 *   <tr><th>conversion</th><th>matches</th></tr>
 *   <tr><td>{@code %d %i}</td><td>a decimal, optionally signed</td></tr>
 *   <tr><td>{@code %u}</td><td>a decimal</td></tr>
 *   <tr><td>{@code %x} / {@code %X}</td><td>lower / upper case hex digits ({@code %#x}: after {@code 0x})</td></tr>
 *   <tr><td>{@code %o}</td><td>octal digits</td></tr>
 *   <tr><td>{@code %p %P}</td><td>eight upper-case hex digits</td></tr>
 *   <tr><td>{@code %c}</td><td>one character</td></tr>
 *   <tr><td>{@code %s %S}</td><td>any text (as little as the rest of the line allows)</td></tr>
 *   <tr><td>{@code %%}</td><td>{@code %}</td></tr>
 * </table>
 * A width pads with spaces ({@code %5d}); with the {@code 0} flag it is a minimum digit count
 * ({@code %08X}: at least eight hex digits). Length prefixes ({@code l h ll I64 w}) change nothing.
 * Each conversion captures the printed value, without padding.
 */
final class DbgPrintPattern {

    private final String format;
    private final Pattern pattern;

    private DbgPrintPattern(String format, Pattern pattern) {
        this.format = format;
        this.pattern = pattern;
    }

    static DbgPrintPattern of(String format) {
        return new DbgPrintPattern(format, Pattern.compile(toRegex(format)));
    }

    String format() {
        return format;
    }

    /** The values the line printed for each conversion, if it matches. */
    Optional<List<String>> match(String line) {
        Matcher m = pattern.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>(m.groupCount());
        for (int g = 1; g <= m.groupCount(); g++) {
            values.add(m.group(g));
        }
        return Optional.of(values);
    }

    static String toRegex(String format) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char ch = format.charAt(i);
            if (ch != '%' || i + 1 >= n) {
                literal.append(ch);
                continue;
            }
            int start = i++;
            boolean left = false, zero = false, alt = false;
            for (; i < n && "-0+ #".indexOf(format.charAt(i)) >= 0; i++) {
                switch (format.charAt(i)) {
                    case '-' -> left = true;
                    case '0' -> zero = true;
                    case '#' -> alt = true;
                    default -> { }
                }
            }
            int width = 0;
            boolean anyWidth = false;
            if (i < n && format.charAt(i) == '*') {
                anyWidth = true;
                i++;
            }
            while (i < n && Character.isDigit(format.charAt(i))) {
                width = width * 10 + (format.charAt(i++) - '0');
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                while (i < n && (Character.isDigit(format.charAt(i)) || format.charAt(i) == '*')) i++;
            }
            while (i < n) {
                if (format.startsWith("I64", i) || format.startsWith("I32", i)) i += 3;
                else if ("hlwzjt".indexOf(format.charAt(i)) >= 0) i++;
                else break;
            }
            if (i >= n) {
                literal.append(format, start, n);
                break;
            }
            char conv = format.charAt(i);
            String value = switch (conv) {
                case 'd', 'i' -> "[-+ ]?\\d+";
                case 'u' -> "\\d+";
                case 'x' -> (alt ? "0x" : "") + digits("[0-9a-f]", zero && !left ? width : 0);
                case 'X' -> (alt ? "0X" : "") + digits("[0-9A-F]", zero && !left ? width : 0);
                case 'o' -> digits("[0-7]", zero && !left ? width : 0);
                case 'p', 'P' -> "[0-9A-F]{8}";
                case 'c', 'C' -> ".";
                case 's', 'S' -> ".*?";
                default -> null;
            };
            if (conv == '%') {
                literal.append('%');
                continue;
            }
            if (value == null) {                        // DbgPrint prints an unknown conversion as written
                literal.append(format, start, i + 1);
                continue;
            }
            flush(re, literal);
            boolean padded = anyWidth || (width > 0 && !(zero && !left && conv != 's' && conv != 'c'));
            if (padded && !left) re.append(" *");
            re.append('(').append(value).append(')');
            if (padded && left) re.append(" *");
        }
        flush(re, literal);
        return re.toString();
    }

    private static String digits(String digit, int minimum) {
        return minimum > 1 ? digit + "{" + minimum + ",}" : digit + "+";
    }

    private static void flush(StringBuilder re, StringBuilder literal) {
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }
}
