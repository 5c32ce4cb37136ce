package dev.ringzero.host.kd;

import dev.ringzero.host.core.LoadedDriver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * {@code !drvobj NAME}: a driver object, headed as WinDbg heads it ({@code Driver object (...) is for:} and
 * the {@code \Driver\} name). A Ringzero driver object is a Java object with no system address, so the head
 * names its owner ({@code LookasideList#3}) where WinDbg shows the address; and where NT lists device objects
 * and dispatch routines, which Ringzero's drivers have none of, it lists what Ringzero knows of the driver:
 * its state, its image section, its unload routine, the types it registered for {@code dt}, its lookaside lists
 * and its pool blocks.
 */
public final class DriverObjectDisplay {

    private static final String PREFIX = "\\Driver\\";

    private final IoManager io;
    private final Executive executive;

    public DriverObjectDisplay(IoManager io, Executive executive) {
        this.io = io;
        this.executive = executive;
    }

    public String drvobj(String... args) {
        if (args.length != 1) {
            throw new KdError("drvobj: needs the driver's NAME or \\Driver\\NAME");
        }
        String name = args[0].regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? args[0].substring(PREFIX.length()) : args[0];
        LoadedDriver d = io.drivers().values().stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new KdError("drvobj: no driver " + args[0] + (KdArgs.parse(args[0]) != null
                        ? " (a Ringzero driver object has no address: give its name)" : "") + "; loaded: "
                        + (io.drivers().isEmpty() ? "none" : String.join(", ", new TreeSet<>(io.drivers().keySet())))));
        DriverObject o = d.driverObject();
        StringBuilder sb = new StringBuilder();
        sb.append("Driver object (").append(d.owner()).append(") is for:\n ").append(o.DriverName()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "State:         %s%n", d.state().name().toLowerCase(Locale.ROOT)));
        sb.append(String.format(Locale.ROOT, "DriverStart:   %08x%nDriverSize:    %x%n", o.DriverStart(), o.DriverSize()));
        sb.append("Image:         ").append(d.image().origin()).append('\n');
        sb.append("DriverUnload:  ").append(o.DriverUnload() == null ? "none (the driver cannot be unloaded)" : "set")
                .append('\n');
        sb.append("RegistryPath:  ").append(o.RegistryPath()).append('\n');
        sb.append("Verifier:      ").append(executive.pool().isVerified(d.owner()) ? "on" : "off")
                .append(io.isSpecialPool(d.name()) ? ", special pool" : "").append('\n');
        sb.append("Types (dt):    ").append(d.debuggerTypes().isEmpty() ? "none"
                : String.join(", ", new TreeSet<>(d.debuggerTypes().keySet()))).append("\n\n");
        List<LookasideInfo> lists = executive.lookasideRegistry().ownedBy(d.owner());
        sb.append("Lookaside lists: ").append(lists.size()).append('\n');
        lists.forEach(l -> sb.append(String.format(Locale.ROOT, "    %08x %s tag %s, %d-byte entries, %d cached%n",
                l.address(), l.implementation(), PoolTag.toString(l.tag()), l.size(), l.currentDepth())));
        List<PoolBlockInfo> blocks = executive.pool().outstanding(d.owner());
        sb.append("Pool blocks: ").append(blocks.size()).append('\n');
        blocks.forEach(b -> sb.append("    ").append(b).append('\n'));
        return sb.toString();
    }
}
