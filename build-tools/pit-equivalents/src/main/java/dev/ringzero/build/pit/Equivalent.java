package dev.ringzero.build.pit;

import java.util.Set;

/**
 * One line of the equivalents file: a kind of mutant no test can tell from the original, and why.
 *
 * <p>Unpinned ({@code indexes} empty), it excuses every undetected mutant of {@code description} in {@code method}
 * after PIT has run them. Pinned, it names the mutated instructions by their index in the method's bytecode (PIT's
 * {@code <index>} in mutations.xml, which edits elsewhere in the class do not move): those mutants are left out
 * before they run, so that PIT does not spend every covering test on a mutant known to survive them.
 */
public record Equivalent(String clazz, String method, String description, Set<Integer> indexes, String reason, int lineNumber) {

    public Equivalent {
        indexes = Set.copyOf(indexes);
    }

    public boolean pinned() {
        return !indexes.isEmpty();
    }

    /** Whether this line is about mutants of {@code description} in {@code clazz.method}. */
    public boolean names(String clazz, String method, String description) {
        return this.clazz.equals(clazz) && this.method.equals(method) && this.description.equals(description);
    }

    /** Whether this line pins the mutant at {@code index} of that kind. */
    public boolean pins(String clazz, String method, String description, int index) {
        return pinned() && indexes.contains(index) && names(clazz, method, description);
    }
}
