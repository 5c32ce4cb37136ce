package dev.ringzero.host.kd;

import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.IoManager;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The debugger's memory commands over one executive and I/O manager — {@code pool}, {@code poolfind},
 * {@code dt}, {@code db}/{@code dw}/{@code dd}/{@code dq}, {@code list}, {@code analyze}, {@code drvobj} — each
 * answering text, and bad input with its one line ({@link KdError}'s message). Free of OSGi: the shell's
 * {@code KernelDebugger} and the tests without a framework both call it.
 */
public final class MemoryCommands {

    private final MemoryDisplay memory;
    private final PoolDisplay pool;
    private final TypeDisplay types;
    private final ListWalk lists;
    private final BugCheckAnalysis analysis;
    private final DriverObjectDisplay driverObjects;

    /**
     * @param crashReports the crash report written for a bug check, or null (the in-process host writes none)
     */
    public MemoryCommands(IoManager io, Executive executive, Function<BugCheckReport, Path> crashReports) {
        MemoryReader reader = new MemoryReader(executive.pool().memory());
        DebuggerTypes known = new DebuggerTypes(io);
        this.memory = new MemoryDisplay(reader);
        this.pool = new PoolDisplay(executive.pool(), memory);
        this.types = new TypeDisplay(known, reader);
        this.lists = new ListWalk(known, reader, this::display);
        this.analysis = new BugCheckAnalysis(io, executive, crashReports);
        this.driverObjects = new DriverObjectDisplay(io, executive);
    }

    public String pool(String... args) {
        return answer(() -> pool.pool(args));
    }

    public String poolfind(String... args) {
        return answer(() -> pool.poolfind(args));
    }

    public String dt(String... args) {
        return answer(() -> types.display(args));
    }

    public String db(String... args) {
        return answer(() -> memory.display(MemoryDisplay.Unit.BYTE, args));
    }

    public String dw(String... args) {
        return answer(() -> memory.display(MemoryDisplay.Unit.WORD, args));
    }

    public String dd(String... args) {
        return answer(() -> memory.display(MemoryDisplay.Unit.DWORD, args));
    }

    public String dq(String... args) {
        return answer(() -> memory.display(MemoryDisplay.Unit.QWORD, args));
    }

    public String list(String... args) {
        return answer(() -> lists.walk(args));
    }

    public String analyze(String... args) {
        return answer(() -> analysis.analyze(args));
    }

    public String drvobj(String... args) {
        return answer(() -> driverObjects.drvobj(args));
    }

    /** A display command {@code !list -x} runs; its bad input ends the walk with its line. */
    private String display(String command, String... args) {
        return switch (command) {
            case "dt" -> types.display(args);
            case "db" -> memory.display(MemoryDisplay.Unit.BYTE, args);
            case "dw" -> memory.display(MemoryDisplay.Unit.WORD, args);
            case "dd" -> memory.display(MemoryDisplay.Unit.DWORD, args);
            case "dq" -> memory.display(MemoryDisplay.Unit.QWORD, args);
            case "pool" -> pool.pool(args);
            default -> throw new KdError("list: -x cannot run " + command);
        };
    }

    private static String answer(Supplier<String> command) {
        try {
            return command.get();
        } catch (KdError e) {
            return e.getMessage() + "\n";
        }
    }
}
