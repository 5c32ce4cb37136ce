package dev.ringzero.host.kd;

import dev.ringzero.host.allocators.AllocatorCatalog;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.host.launch.HostException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the {@code kd} commands need of a running host: the core to read, and the few acts only the launcher
 * can do (load a jar, unload a driver through its bundle). The launcher ({@code FelixHost}) implements it, so the
 * commands never name the launcher and the launcher only names {@link KdCommands} to make them.
 */
public interface KdHost {

    IoManager ioManager();

    Executive executive();

    /** The crash report written for {@code report}, or {@code null}. */
    Path crashReport(BugCheckReport report);

    /** Loads a driver jar and waits for its {@code DriverEntry}; see {@code FelixHost.load}. */
    DriverOutcome loadJar(Path jar) throws HostException;

    /** Unloads a driver by name, through its bundle; what the unload found, one line each. */
    List<String> unloadDriver(String name);

    /** Whether the console already shows each load's and unload's outcome. */
    boolean outcomesEchoed();

    /** Where {@code kd:load NAME} looks for {@code NAME.jar}, in order ({@code drivers/}, {@code samples/}). */
    List<Path> driverFolders();

    boolean verifierByDefault();

    void setVerifierByDefault(boolean on);

    /** The lookaside implementations, built-in and deployed in {@code allocators/}: what {@code kd:allocators} shows and changes. */
    AllocatorCatalog allocators();
}
