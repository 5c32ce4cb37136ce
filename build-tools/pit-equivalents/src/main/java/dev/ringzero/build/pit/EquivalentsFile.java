package dev.ringzero.build.pit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads docs/mutation-equivalents.txt: {@code class | method | PIT's description | why}, or pinned to instructions,
 * {@code class | method | PIT's description | @12,40 | why}. Lines starting with # and blank lines are ignored; the
 * reason is the rest of the line and may itself hold a {@code |}.
 */
public final class EquivalentsFile {

    private EquivalentsFile() {
    }

    /** The file's lines; a malformed one is an {@link IllegalArgumentException} naming the file and line. */
    public static List<Equivalent> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Equivalent> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(parse(line, file, i + 1));
            }
        }
        return out;
    }

    static Equivalent parse(String line, Path file, int lineNumber) {
        String[] f = line.split("\\s*\\|\\s*", 4);
        if (f.length != 4 || f[3].isBlank()) {
            throw malformed(file, lineNumber, line);
        }
        Set<Integer> indexes = new LinkedHashSet<>();
        String reason = f[3];
        if (reason.startsWith("@")) {
            String[] pinAndReason = reason.split("\\s*\\|\\s*", 2);
            if (pinAndReason.length != 2 || pinAndReason[1].isBlank()) {
                throw malformed(file, lineNumber, line);
            }
            try {
                for (String index : pinAndReason[0].substring(1).split(",")) {
                    indexes.add(Integer.parseInt(index.strip()));
                }
            } catch (NumberFormatException e) {
                throw malformed(file, lineNumber, line);
            }
            reason = pinAndReason[1];
        }
        return new Equivalent(f[0], f[1], f[2], indexes, reason, lineNumber);
    }

    private static IllegalArgumentException malformed(Path file, int lineNumber, String line) {
        return new IllegalArgumentException(file + " line " + lineNumber
                + ": expected 'class | method | description | why' or 'class | method | description | @index,... | why', got: " + line);
    }
}
