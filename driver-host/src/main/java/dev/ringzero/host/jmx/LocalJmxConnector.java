package dev.ringzero.host.jmx;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.rmi.server.RMIServerSocketFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.MBeanServerForwarder;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.security.auth.Subject;

/**
 * A JMX connector for tools on the same machine ({@code ringzero poolmon}, JConsole), published in the host's
 * {@code data/} folder: local-only, for the same user, and read-only.
 *
 * <h2>Why not the attach API</h2>
 * The JDK's own local connector is started through the attach API ({@code jdk.attach} in the tool,
 * {@code jdk.management.agent} in the host), which the distribution's jlinked runtime would have to carry, and
 * which opens the JDK's management agent with every operation of every bean. This connector needs only
 * {@code java.management.rmi}, and it is Ringzero's own to restrict.
 *
 * <h2>What keeps it local and private</h2>
 * <ul>
 *   <li>The RMI connector's socket listens on the loopback address only (and its stub names the loopback
 *       address: {@code java.rmi.server.hostname} is set to it unless the user set it).</li>
 *   <li>A client must present a random token (32 bytes from {@link SecureRandom}), read from
 *       {@code data/jmx-PID.properties}, a file only the host's user may read ({@code rw-------}). It is deleted
 *       when the host closes; one left by a killed host names a dead process and is ignored.</li>
 *   <li>Every call that could change state is refused with a {@link SecurityException}: {@code setAttribute(s)},
 *       {@code invoke}, {@code createMBean}, {@code registerMBean}, {@code unregisterMBean} — for the JDK's beans too.
 *       Reading attributes, names and infos, and listening to notifications, go through.</li>
 * </ul>
 */
public final class LocalJmxConnector implements AutoCloseable {

    /** The user name a client presents; the token is the password. */
    static final String USER = "ringzero";
    private static final String FILE_PREFIX = "jmx-";
    private static final String FILE_SUFFIX = ".properties";

    private final JMXConnectorServer server;
    private final Path file;

    private LocalJmxConnector(JMXConnectorServer server, Path file) {
        this.server = server;
        this.file = file;
    }

    /**
     * Starts the connector on the platform MBeanServer and writes its address and token to
     * {@code dataDir/jmx-PID.properties}.
     *
     * @throws IOException when the connector cannot start or the file cannot be written
     */
    public static LocalJmxConnector publish(Path dataDir) throws IOException {
        String loopback = InetAddress.getLoopbackAddress().getHostAddress();
        if (System.getProperty("java.rmi.server.hostname") == null) {
            // the stub a client receives names this address; the socket below listens on nothing else
            System.setProperty("java.rmi.server.hostname", loopback);
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, new LoopbackSockets());
        env.put(JMXConnectorServer.AUTHENTICATOR, new TokenAuthenticator(token));
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("rmi", loopback, 0), env, ManagementFactory.getPlatformMBeanServer());
        server.setMBeanServerForwarder(readOnly());
        server.start();
        Path file = dataDir.resolve(FILE_PREFIX + ProcessHandle.current().pid() + FILE_SUFFIX);
        try {
            writePrivately(file, server.getAddress().toString(), token);
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        return new LocalJmxConnector(server, file);
    }

    /** The file's path. */
    public Path file() {
        return file;
    }

    private static void writePrivately(Path file, String url, String token) throws IOException {
        Properties p = new Properties();
        p.setProperty("url", url);
        p.setProperty("token", token);
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        try (var out = Files.newOutputStream(tmp)) {
            p.store(out, "Ringzero host's local JMX connector (ringzero poolmon); deleted when the host stops");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Connects to the connector a running host published in {@code dataDir}: the one of process {@code pid}, or the
     * only one whose process is alive when {@code pid} is {@code null}.
     *
     * @throws IOException with one line naming what is wrong (no host, several hosts, a dead one, no answer)
     */
    public static JMXConnector connect(Path dataDir, Long pid) throws IOException {
        List<Path> live = new ArrayList<>();
        if (Files.isDirectory(dataDir)) {
            try (Stream<Path> files = Files.list(dataDir)) {
                files.filter(f -> f.getFileName().toString().startsWith(FILE_PREFIX)
                                && f.getFileName().toString().endsWith(FILE_SUFFIX))
                        .filter(f -> pidOf(f) > 0 && ProcessHandle.of(pidOf(f)).map(ProcessHandle::isAlive).orElse(false))
                        .sorted()
                        .forEach(live::add);
            }
        }
        Path chosen;
        if (pid != null) {
            chosen = live.stream().filter(f -> pidOf(f) == pid).findFirst().orElseThrow(() -> new IOException(
                    "no running Ringzero host with process id " + pid + " published a JMX connector in " + dataDir));
        } else if (live.isEmpty()) {
            throw new IOException("no running Ringzero host found: none published a JMX connector in " + dataDir
                    + " (start one with bin/ringzero; RINGZERO_DATA names another data folder)");
        } else if (live.size() > 1) {
            throw new IOException("several Ringzero hosts run on " + dataDir + " (process ids "
                    + String.join(", ", live.stream().map(f -> Long.toString(pidOf(f))).toList()) + "): name one");
        } else {
            chosen = live.getFirst();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(chosen)) {
            p.load(in);
        }
        String url = p.getProperty("url");
        String token = p.getProperty("token");
        if (url == null || token == null) {
            throw new IOException(chosen + " holds no connector address and token");
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(url),
                Map.of(JMXConnector.CREDENTIALS, new String[] {USER, token}));
    }

    private static long pidOf(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(FILE_PREFIX.length(), name.length() - FILE_SUFFIX.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** Stops the connector and deletes the file. Idempotent. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a file naming a dead process is ignored by clients
        }
        try {
            server.stop();
        } catch (IOException e) {
            // stopping anyway
        }
    }

    // ------------------------------------------------------------------------------------------ parts

    /** Server sockets on the loopback address only. */
    private record LoopbackSockets() implements RMIServerSocketFactory, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }
    }

    /** Accepts the user {@value #USER} with the published token, compared in constant time. */
    private record TokenAuthenticator(String token) implements JMXAuthenticator {
        @Override
        public Subject authenticate(Object credentials) {
            if (credentials instanceof String[] c && c.length == 2 && USER.equals(c[0]) && c[1] != null
                    && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), c[1].getBytes(StandardCharsets.UTF_8))) {
                return new Subject(true, Set.of(new JMXPrincipal(USER)), Set.of(), Set.of());
            }
            throw new SecurityException("wrong credentials for the Ringzero host's JMX connector");
        }
    }

    /** The MBeanServer methods that change nothing; every other one is refused. */
    private static final Set<String> READS = Set.of("getAttribute", "getAttributes", "getMBeanInfo", "getObjectInstance",
            "queryMBeans", "queryNames", "isRegistered", "getMBeanCount", "getDefaultDomain", "getDomains",
            "isInstanceOf", "addNotificationListener", "removeNotificationListener", "getClassLoaderFor",
            "getClassLoader", "getClassLoaderRepository");

    /** A forwarder that lets the reads of {@link #READS} through and refuses the rest. */
    private static MBeanServerForwarder readOnly() {
        MBeanServer[] target = new MBeanServer[1];
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("setMBeanServer")) {
                target[0] = (MBeanServer) args[0];
                return null;
            }
            if (name.equals("getMBeanServer")) {
                return target[0];
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (name) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "read-only MBeanServerForwarder";
                };
            }
            if (!READS.contains(name)) {
                throw new SecurityException("the Ringzero host's JMX connector is read-only: " + name + " refused");
            }
            try {
                return method.invoke(target[0], args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (MBeanServerForwarder) Proxy.newProxyInstance(MBeanServerForwarder.class.getClassLoader(),
                new Class<?>[] {MBeanServerForwarder.class}, handler);
    }
}
