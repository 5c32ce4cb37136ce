package dev.ringzero.host.jmx;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;

/**
 * A host's four MXBeans in the platform MBeanServer: {@code dev.ringzero:type=PoolTags}, {@code LookasideLists},
 * {@code Drivers} and {@code Verifier}, each with the key {@code host} (see the package's rules). Every read takes a
 * fresh snapshot from the I/O manager and the executive; nothing is cached and nothing can be changed.
 */
public final class HostBeans implements AutoCloseable {

    /** The JMX domain of every Ringzero bean. */
    public static final String DOMAIN = "dev.ringzero";

    private final MBeanServer server;
    private final List<ObjectName> names = new ArrayList<>();

    private HostBeans(MBeanServer server) {
        this.server = server;
    }

    /**
     * Registers the beans of one host.
     *
     * @param host              a name unique among the hosts of this JVM (the framework storage's path); quoted here
     * @param verifierByDefault whether the verifier is on for every driver loaded from now on
     * @throws IllegalStateException when beans of that host are registered already
     */
    public static HostBeans register(String host, IoManager io, BooleanSupplier verifierByDefault) {
        HostBeans beans = new HostBeans(ManagementFactory.getPlatformMBeanServer());
        try {
            beans.add(name("PoolTags", host), (PoolTagsMXBean) () -> poolTags(io.executive()));
            beans.add(name("LookasideLists", host), (LookasideListsMXBean) () -> lookasideLists(io.executive()));
            beans.add(name("Drivers", host), (DriversMXBean) () -> drivers(io));
            beans.add(name("Verifier", host), new Verifier(io, verifierByDefault));
            return beans;
        } catch (RuntimeException e) {
            beans.close();
            throw e;
        }
    }

    /** {@code dev.ringzero:type=KIND,host="HOST"}. */
    public static ObjectName name(String type, String host) {
        try {
            return new ObjectName(DOMAIN + ":type=" + type + ",host=" + ObjectName.quote(host));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("no JMX name for type=" + type + " host=" + host + ": " + e.getMessage(), e);
        }
    }

    /** A pattern for one kind's beans of every host in the JVM. */
    public static ObjectName pattern(String type) {
        try {
            return new ObjectName(DOMAIN + ":type=" + type + ",*");
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("no JMX pattern for type=" + type + ": " + e.getMessage(), e);
        }
    }

    private void add(ObjectName name, Object bean) {
        try {
            server.registerMBean(bean, name);
            names.add(name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException(name + " is registered already: a second host with the same storage?", e);
        } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e.getMessage(), e);
        }
    }

    static PoolTagsMXBean.Row[] poolTags(Executive ex) {
        return ex.pool().usage().stream().map(PoolTagsMXBean.Row::of).toArray(PoolTagsMXBean.Row[]::new);
    }

    static LookasideListsMXBean.Row[] lookasideLists(Executive ex) {
        return ex.lookasideRegistry().lists().stream().map(LookasideListsMXBean.Row::of)
                .toArray(LookasideListsMXBean.Row[]::new);
    }

    static DriversMXBean.Row[] drivers(IoManager io) {
        Executive ex = io.executive();
        return io.drivers().values().stream().map(d -> {
            List<PoolBlockInfo> blocks = ex.pool().outstanding(d.owner());
            List<LookasideInfo> lists = ex.lookasideRegistry().ownedBy(d.owner());
            return new DriversMXBean.Row(d.name(), d.state().name(), blocks.size(),
                    blocks.stream().mapToLong(PoolBlockInfo::size).sum(), lists.size(),
                    lists.stream().map(l -> String.format("%08X", l.address())).toArray(String[]::new),
                    ex.pool().isVerified(d.owner()), io.isSpecialPool(d.name()));
        }).toArray(DriversMXBean.Row[]::new);
    }

    private record Verifier(IoManager io, BooleanSupplier byDefault) implements VerifierMXBean {

        @Override
        public boolean isVerifierByDefault() {
            return byDefault.getAsBoolean();
        }

        @Override
        public String[] getVerifiedDrivers() {
            return io.verifiedNames().toArray(String[]::new);
        }

        @Override
        public String[] getSpecialPoolDrivers() {
            return io.specialPoolNames().toArray(String[]::new);
        }

        @Override
        public String[] getSpecialPoolTags() {
            return io.executive().pool().specialPoolTags().toArray(String[]::new);
        }

        @Override
        public BugCheckRow[] getBugChecks() {
            return io.bugChecks().stream().map(Verifier::row).toArray(BugCheckRow[]::new);
        }

        private static BugCheckRow row(BugCheckReport r) {
            BugCheck b = r.bugCheck();
            String[] p = {Long.toHexString(b.parameter1()).toUpperCase(), Long.toHexString(b.parameter2()).toUpperCase(),
                    Long.toHexString(b.parameter3()).toUpperCase(), Long.toHexString(b.parameter4()).toUpperCase()};
            return new BugCheckRow(String.format("0x%02X", b.code().code()), b.code().name(), p, r.owner().name(),
                    r.phase(), r.time().toString(), b.detail());
        }
    }

    /** Unregisters the beans; idempotent. */
    @Override
    public void close() {
        for (ObjectName n : names) {
            try {
                server.unregisterMBean(n);
            } catch (InstanceNotFoundException | MBeanRegistrationException gone) {
                // unregistered by someone else (any code in the JVM can): nothing left to do
            }
        }
        names.clear();
    }
}
