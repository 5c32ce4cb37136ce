package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.distribution.watch.MBeanPokingDriver;
import dev.ringzero.distribution.watch.TickingDriver;
import dev.ringzero.host.felix.DriverLoad;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.host.jmx.DriversMXBean;
import dev.ringzero.host.jmx.HostBeans;
import dev.ringzero.host.jmx.LookasideListsMXBean;
import dev.ringzero.host.jmx.PoolTagsMXBean;
import dev.ringzero.host.jmx.VerifierMXBean;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.management.Attribute;
import javax.management.AttributeNotFoundException;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's MXBeans, read from the platform MBeanServer of a real Felix host while a driver runs, and a driver that
 * tries to change the host through them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostBeansIT {

    @TempDir
    static Path tmp;

    private final Transcript transcript = new Transcript();
    private final Events events = new Events();
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private FelixHost host;
    private DriverLoad ticking;
    private String hostKey;

    @BeforeAll
    void startHostWithARunningDriver() throws Exception {
        host = FelixHost.start(Distribution.settings(tmp, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false), events);
        host.ioManager().setVerified("TickingDriver", true);
        ticking = host.load(TestBundles.driverBundle(tmp.resolve("ticking"), TickingDriver.class));
        assertThat(ticking.outcome().loaded()).as(ticking.outcome().message()).isTrue();
        hostKey = beanOf("PoolTags").getKeyProperty("host");
    }

    @AfterAll
    void stopHost() throws Exception {
        host.unload(ticking);
        host.close();
        assertThat(server.queryNames(new ObjectName("dev.ringzero:host=" + hostKey + ",*"), null))
                .as("the beans leave with the host").isEmpty();
    }

    /** This host's bean of a kind (other hosts of the JVM have their own {@code host} key). */
    private ObjectName beanOf(String type) throws Exception {
        Set<ObjectName> names = server.queryNames(HostBeans.pattern(type), null);
        String storage = tmp.resolve("data").toString();
        return names.stream().filter(n -> ObjectName.unquote(n.getKeyProperty("host")).startsWith(storage)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " bean of this host among " + names));
    }

    @Test
    void shouldNameEachKindOnceWithTheHostQuoted() throws Exception {
        ObjectName tags = beanOf("PoolTags");
        assertThat(tags.getDomain()).isEqualTo("dev.ringzero");
        assertThat(hostKey).startsWith("\"").endsWith("\"");
        assertThat(ObjectName.unquote(hostKey)).startsWith(tmp.resolve("data").resolve("felix-").toString());
        for (String type : List.of("PoolTags", "LookasideLists", "Drivers", "Verifier")) {
            assertThat(server.isRegistered(HostBeans.name(type, ObjectName.unquote(hostKey)))).as(type).isTrue();
        }
    }

    @Test
    void shouldShowTheRunningDriversTagCountingUp() throws Exception {
        PoolTagsMXBean tags = JMX.newMXBeanProxy(server, beanOf("PoolTags"), PoolTagsMXBean.class);
        PoolTagsMXBean.Row first = tickRow(tags.getTags());
        // two ticks seen through the ticker's own DbgPrint: the second one's allocation came after the first reading
        for (int i = 0; i < 2; i++) {
            Transcript.Hold tick = transcript.holdAt("TickingDriver", TickingDriver.TICK);
            tick.reached();
            tick.release();
        }
        PoolTagsMXBean.Row later = tickRow(tags.getTags());
        assertThat(first.poolType()).isEqualTo("Nonp");
        assertThat(first.tagValue()).isEqualTo(TickingDriver.TAG);
        assertThat(later.allocs()).isGreaterThan(first.allocs());
        assertThat(later.diff()).isEqualTo(later.allocs() - later.frees()).isBetween(1L, 9L);
        assertThat(later.bytes()).isEqualTo(later.diff() * 48);
    }

    private static PoolTagsMXBean.Row tickRow(PoolTagsMXBean.Row[] rows) {
        return Arrays.stream(rows).filter(r -> r.tag().equals("Tick")).findFirst()
                .orElseThrow(() -> new AssertionError("no Tick row in " + Arrays.toString(rows)));
    }

    @Test
    void shouldShowTheDriverWithItsBlocksAndItsList() throws Exception {
        DriversMXBean drivers = JMX.newMXBeanProxy(server, beanOf("Drivers"), DriversMXBean.class);
        DriversMXBean.Row row = Arrays.stream(drivers.getDrivers()).filter(d -> d.name().equals("TickingDriver")).findFirst()
                .orElseThrow();
        assertThat(row.state()).isEqualTo("LOADED");
        assertThat(row.blocks()).as("its kept Tick blocks and its list's header").isGreaterThanOrEqualTo(2);
        assertThat(row.bytes()).isPositive();
        assertThat(row.lookasideLists()).isEqualTo(1);
        assertThat(row.listAddresses()).hasSize(1);
        assertThat(row.verified()).isTrue();

        LookasideListsMXBean lists = JMX.newMXBeanProxy(server, beanOf("LookasideLists"), LookasideListsMXBean.class);
        LookasideListsMXBean.Row list = Arrays.stream(lists.getLists()).filter(l -> l.owner().equals("TickingDriver"))
                .findFirst().orElseThrow();
        assertThat(list.address()).isEqualTo(row.listAddresses()[0]);
        assertThat(list.tag()).isEqualTo(PoolTag.toString(TickingDriver.LIST_TAG));
        assertThat(list.implementation()).isEqualTo(host.executive().selectedLookaside().name());
        assertThat(list.size()).isEqualTo(24);
        assertThat(list.totalAllocates()).isPositive();
        assertThat(list.maximumDepth()).isEqualTo(256);

        VerifierMXBean verifier = JMX.newMXBeanProxy(server, beanOf("Verifier"), VerifierMXBean.class);
        assertThat(verifier.getVerifiedDrivers()).containsExactly("TickingDriver");
        assertThat(verifier.isVerifierByDefault()).isFalse();
    }

    @Test
    void shouldOfferNoOperationAndNoWritableAttribute() throws Exception {
        for (String type : List.of("PoolTags", "LookasideLists", "Drivers", "Verifier")) {
            MBeanInfo info = server.getMBeanInfo(beanOf(type));
            assertThat(info.getOperations()).as(type).isEmpty();
            assertThat(info.getAttributes()).as(type).isNotEmpty().noneMatch(MBeanAttributeInfo::isWritable);
        }
        ObjectName tags = beanOf("PoolTags");
        Object value = server.getAttribute(tags, "Tags");
        assertThatThrownBy(() -> server.setAttribute(tags, new Attribute("Tags", value)))
                .isInstanceOf(AttributeNotFoundException.class);
        assertThatThrownBy(() -> server.invoke(beanOf("Drivers"), "unload", new Object[] {"TickingDriver"},
                new String[] {String.class.getName()})).isInstanceOf(ReflectionException.class);
    }

    @Test
    void aDriverShouldReadTheBeansButChangeNothingThroughThem() throws Exception {
        int depthBefore = listOfTicking().depth();
        DriverLoad poking = host.load(TestBundles.driverBundle(tmp.resolve("poking"), MBeanPokingDriver.class,
                "javax.management"));
        try {
            assertThat(poking.outcome().loaded()).as(poking.outcome().message()).isTrue();
            List<String> lines = transcript.of("MBeanPokingDriver");
            assertThat(lines).as("it read every kind").contains("MBeanPokingDriver: read PoolTags.Tags",
                    "MBeanPokingDriver: read Drivers.Drivers", "MBeanPokingDriver: read LookasideLists.Lists",
                    "MBeanPokingDriver: read Verifier.BugChecks");
            assertThat(lines).filteredOn(l -> l.contains(": done")).as("no attempt went through").isEmpty();
            assertThat(lines).filteredOn(l -> l.contains(": refused")).hasSizeGreaterThanOrEqualTo(16);
            assertThat(host.ioManager().driver("TickingDriver").orElseThrow().state().name()).isEqualTo("LOADED");
            assertThat(listOfTicking().depth()).isEqualTo(depthBefore);
        } finally {
            host.unload(poking);
        }
    }

    private LookasideListsMXBean.Row listOfTicking() throws Exception {
        LookasideListsMXBean lists = JMX.newMXBeanProxy(server, beanOf("LookasideLists"), LookasideListsMXBean.class);
        return Arrays.stream(lists.getLists()).filter(l -> l.owner().equals("TickingDriver")).findFirst().orElseThrow();
    }

    @Test
    void kdPoolmonShouldDrawThePoolAndSortByTheKeysPressed() throws Exception {
        try (GogoSession gogo = new GogoSession(host.framework().getBundleContext(),
                new ByteArrayInputStream("b\nq\n".getBytes(StandardCharsets.UTF_8)))) {
            String screen = gogo.execute("kd:poolmon");
            assertThat(screen).contains("Ringzero PoolMon: both pools, sorted by Tag", "Tag  Type", " Tick Nonp ");
            assertThat(screen).as("B: sorted by bytes, drawn again at once").contains("sorted by Bytes");
        }
    }

    @Test
    void shouldPublishTheLocalConnectorForRingzeroPoolmon() throws Exception {
        Path file = tmp.resolve("data").resolve("jmx-" + ProcessHandle.current().pid() + ".properties");
        assertThat(file).isRegularFile();
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        try (var connector = dev.ringzero.host.jmx.LocalJmxConnector.connect(tmp.resolve("data"), null)) {
            var connection = connector.getMBeanServerConnection();
            ObjectName tags = beanOf("PoolTags");
            assertThat(connection.getAttribute(tags, "Tags")).isNotNull();
            assertThatThrownBy(() -> connection.invoke(new ObjectName("java.lang:type=Memory"), "gc", null, null))
                    .as("the connector is read-only, for the JDK's beans too").isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> connection.unregisterMBean(tags)).isInstanceOf(SecurityException.class);
        }
    }
}
