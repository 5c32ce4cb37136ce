package dev.ringzero.pool;

import dev.ringzero.api.memory.PoolTag;
import java.util.ArrayList;
import java.util.List;

/**
 * The verifier's special pool by tag: the tag patterns whose allocations special pool serves, whoever
 * allocates them. A pattern is a tag as tools display it ({@code Wasm}), one to four characters, with
 * NT's wildcards: {@code ?} matches any one character, {@code *} whatever follows; a pattern shorter
 * than four characters without {@code *} is padded with spaces ({@code 'Ddk '}), and a NUL matches a
 * padding space too (tools display both as a space: {@code 'kdD'} and {@code ' kdD'} both show {@code Ddk}).
 * Each pattern is kept as a value and a mask over the tag's bytes, so a match is one and-compare. Immutable.
 */
final class SpecialPoolTags {

    static final SpecialPoolTags NONE = new SpecialPoolTags(List.of());

    /** One pattern: the tag bytes it fixes ({@code value}) and which bytes those are ({@code mask}). */
    record Pattern(String text, int value, int mask) {
        boolean matches(int tag) {
            return ((tag & ~PoolTag.PROTECTED_POOL) & mask) == value;
        }
    }

    private final List<Pattern> patterns;

    private SpecialPoolTags(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** Parses {@code text}; an {@link IllegalArgumentException} names what is wrong with it. */
    static Pattern parse(String text) {
        PoolTag.checkPattern(text);
        int value = 0;
        int mask = 0;
        for (int i = 0; i < 4; i++) {
            if (i >= text.length()) { // padding: a space or a NUL (0x20 and 0x00 differ in bit 5 only)
                mask |= 0xDF << (8 * i);
                continue;
            }
            char c = text.charAt(i);
            if (c == '*') {
                break; // the rest matches anything
            }
            if (c != '?') {
                value |= c << (8 * i); // byte i of the tag in memory is display character i
                mask |= 0xFF << (8 * i);
            }
        }
        return new Pattern(text, value & ~PoolTag.PROTECTED_POOL, mask & ~PoolTag.PROTECTED_POOL);
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    boolean matches(int tag) {
        for (Pattern p : patterns) {
            if (p.matches(tag)) {
                return true;
            }
        }
        return false;
    }

    SpecialPoolTags with(Pattern p) {
        if (patterns.stream().anyMatch(q -> q.text.equals(p.text))) {
            return this;
        }
        List<Pattern> more = new ArrayList<>(patterns);
        more.add(p);
        return new SpecialPoolTags(more);
    }

    SpecialPoolTags without(Pattern p) {
        return new SpecialPoolTags(patterns.stream().filter(q -> !q.text.equals(p.text)).toList());
    }

    List<String> texts() {
        return patterns.stream().map(Pattern::text).toList();
    }
}
