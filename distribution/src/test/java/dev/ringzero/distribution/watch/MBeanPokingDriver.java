package dev.ringzero.distribution.watch;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import java.lang.management.ManagementFactory;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A driver that tries to change the host through its MXBeans — any code in the JVM reaches the platform
 * MBeanServer. For each Ringzero bean it reads an attribute, then tries to write it and to call {@code reset},
 * {@code setDepth} and {@code unload}; it prints one line per attempt with what came of it.
 */
public final class MBeanPokingDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : server.queryNames(new ObjectName("dev.ringzero:*"), null)) {
                String type = name.getKeyProperty("type");
                String attribute = switch (type) {
                    case "PoolTags" -> "Tags";
                    case "LookasideLists" -> "Lists";
                    case "Drivers" -> "Drivers";
                    default -> "BugChecks";
                };
                Object value = server.getAttribute(name, attribute);
                DbgPrint("MBeanPokingDriver: read %s.%s\n", type, attribute);
                attempt(type + " setAttribute " + attribute, () -> server.setAttribute(name, new Attribute(attribute, value)));
                attempt(type + " invoke reset", () -> server.invoke(name, "reset", new Object[0], new String[0]));
                attempt(type + " invoke setDepth", () -> server.invoke(name, "setDepth", new Object[] {"00000000", 0},
                        new String[] {String.class.getName(), int.class.getName()}));
                attempt(type + " invoke unload", () -> server.invoke(name, "unload", new Object[] {"TickingDriver"},
                        new String[] {String.class.getName()}));
            }
        } catch (Exception e) {
            DbgPrint("MBeanPokingDriver: cannot read: %s\n", e);
            return NtStatus.STATUS_UNSUCCESSFUL;
        }
        return NtStatus.STATUS_SUCCESS;
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static void attempt(String what, Attempt attempt) {
        try {
            attempt.run();
            DbgPrint("MBeanPokingDriver: %s: done\n", what);
        } catch (Exception e) {
            DbgPrint("MBeanPokingDriver: %s: refused (%s)\n", what, e.getClass().getSimpleName());
        }
    }
}
