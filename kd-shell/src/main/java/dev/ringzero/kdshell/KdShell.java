package dev.ringzero.kdshell;

import dev.ringzero.host.debugger.KdHelp;
import dev.ringzero.host.debugger.KernelDebugger;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code kd} scope of the Gogo shell. Each command hands the words typed after it to the host's
 * {@link KernelDebugger} and shows its answer; what this class adds is Gogo's: the {@code @Descriptor}s that
 * {@code help kd:NAME} shows (the texts of {@link KdHelp}, shared with the host's usage lines), and the
 * command names the shell completes.
 *
 * <p>A bundle, because Gogo reads its own annotation class: code on the launcher's module path cannot carry
 * it (docs/decisions/0001). It starts with the shell in {@code system/shell/} and lives as long as the
 * host's debugger service.
 */
@Component(service = KdShell.class, property = {
        "osgi.command.scope=kd",
        "osgi.command.function=commands",
        "osgi.command.function=lm",
        "osgi.command.function=lookaside",
        "osgi.command.function=poolused",
        "osgi.command.function=poolmon",
        "osgi.command.function=load",
        "osgi.command.function=unload",
        "osgi.command.function=allocators",
        "osgi.command.function=verifier",
        "osgi.command.function=specialpool",
        "osgi.command.function=bugchecks",
        "osgi.command.function=pool",
        "osgi.command.function=poolfind",
        "osgi.command.function=dt",
        "osgi.command.function=db",
        "osgi.command.function=dw",
        "osgi.command.function=dd",
        "osgi.command.function=dq",
        "osgi.command.function=list",
        "osgi.command.function=analyze",
        "osgi.command.function=drvobj"})
public final class KdShell {

    private final KernelDebugger kd;

    @Activate
    public KdShell(@Reference KernelDebugger kd) {
        this.kd = kd;
    }

    @Descriptor("Every kd command with its parameters")
    public String commands() {
        return kd.commands();
    }

    @Descriptor(KdHelp.LM)
    public String lm(@Descriptor(KdHelp.LM_ARGS) String... args) {
        return kd.lm(args);
    }

    @Descriptor(KdHelp.LOOKASIDE)
    public String lookaside(@Descriptor(KdHelp.LOOKASIDE_ARGS) String... args) {
        return kd.lookaside(args);
    }

    @Descriptor(KdHelp.POOLUSED)
    public String poolused(@Descriptor(KdHelp.POOLUSED_ARGS) String... args) {
        return kd.poolused(args);
    }

    @Descriptor(KdHelp.POOLMON)
    public String poolmon(CommandSession session, @Descriptor(KdHelp.POOLMON_ARGS) String... args) throws IOException {
        return kd.poolmon(session.getKeyboard(), new PrintStream(session.getConsole(), true), args);
    }

    @Descriptor(KdHelp.LOAD)
    public String load(@Descriptor(KdHelp.LOAD_ARGS) String... args) {
        return kd.load(args);
    }

    @Descriptor(KdHelp.UNLOAD)
    public String unload(@Descriptor(KdHelp.UNLOAD_ARGS) String... args) {
        return kd.unload(args);
    }

    @Descriptor(KdHelp.ALLOCATORS)
    public String allocators(@Descriptor(KdHelp.ALLOCATORS_ARGS) String... args) {
        return kd.allocators(args);
    }

    @Descriptor(KdHelp.VERIFIER)
    public String verifier(@Descriptor(KdHelp.VERIFIER_ARGS) String... args) {
        return kd.verifier(args);
    }

    @Descriptor(KdHelp.SPECIALPOOL)
    public String specialpool(@Descriptor(KdHelp.SPECIALPOOL_ARGS) String... args) {
        return kd.specialpool(args);
    }

    @Descriptor(KdHelp.BUGCHECKS)
    public String bugchecks(@Descriptor(KdHelp.BUGCHECKS_ARGS) String... args) {
        return kd.bugchecks(args);
    }

    @Descriptor(KdHelp.POOL)
    public String pool(@Descriptor(KdHelp.POOL_ARGS) String... args) {
        return kd.pool(args);
    }

    @Descriptor(KdHelp.POOLFIND)
    public String poolfind(@Descriptor(KdHelp.POOLFIND_ARGS) String... args) {
        return kd.poolfind(args);
    }

    @Descriptor(KdHelp.DT)
    public String dt(@Descriptor(KdHelp.DT_ARGS) String... args) {
        return kd.dt(args);
    }

    @Descriptor(KdHelp.DB)
    public String db(@Descriptor(KdHelp.DUMP_ARGS) String... args) {
        return kd.db(args);
    }

    @Descriptor(KdHelp.DW)
    public String dw(@Descriptor(KdHelp.DUMP_ARGS) String... args) {
        return kd.dw(args);
    }

    @Descriptor(KdHelp.DD)
    public String dd(@Descriptor(KdHelp.DUMP_ARGS) String... args) {
        return kd.dd(args);
    }

    @Descriptor(KdHelp.DQ)
    public String dq(@Descriptor(KdHelp.DUMP_ARGS) String... args) {
        return kd.dq(args);
    }

    @Descriptor(KdHelp.LIST)
    public String list(@Descriptor(KdHelp.LIST_ARGS) String... args) {
        return kd.list(args);
    }

    @Descriptor(KdHelp.ANALYZE)
    public String analyze(@Descriptor(KdHelp.ANALYZE_ARGS) String... args) {
        return kd.analyze(args);
    }

    @Descriptor(KdHelp.DRVOBJ)
    public String drvobj(@Descriptor(KdHelp.DRVOBJ_ARGS) String... args) {
        return kd.drvobj(args);
    }
}
