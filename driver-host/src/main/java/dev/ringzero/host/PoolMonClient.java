package dev.ringzero.host;

import dev.ringzero.host.jmx.HostBeans;
import dev.ringzero.host.jmx.LocalJmxConnector;
import dev.ringzero.host.jmx.PoolTagsMXBean;
import dev.ringzero.host.poolmon.PoolMonSession;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/**
 * {@code ringzero poolmon [PID]}: attaches to a host running on this machine through the local JMX connector it
 * published in {@code data/} ({@link LocalJmxConnector}), and shows its {@code PoolTags} MXBean as a live PoolMon
 * until {@code Q}. On a terminal the keys act at once (the terminal is put into character mode with {@code stty}
 * for the session and restored after it).
 */
final class PoolMonClient {

    private PoolMonClient() {
    }

    static int watch(Path dataDir, Long pid, InputStream keys, PrintStream out, PrintStream err) {
        try (JMXConnector connector = LocalJmxConnector.connect(dataDir, pid)) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            Set<ObjectName> names = connection.queryNames(HostBeans.pattern("PoolTags"), null);
            if (names.size() != 1) {
                err.println("ringzero: the host publishes " + names.size() + " PoolTags beans, not one");
                return Main.HOST_FAULT;
            }
            PoolTagsMXBean tags = JMX.newMXBeanProxy(connection, names.iterator().next(), PoolTagsMXBean.class);
            try (CharacterMode ignored = CharacterMode.enter()) {
                PoolMonSession.run(() -> {
                    try {
                        return Arrays.stream(tags.getTags()).map(PoolTagsMXBean.Row::usage).toList();
                    } catch (UndeclaredThrowableException e) {
                        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                }, keys, out, Duration.ofSeconds(1));
            }
            return Main.OK;
        } catch (IOException | RuntimeException e) {
            err.println("ringzero: poolmon: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return Main.HOST_FAULT;
        }
    }

    /** The controlling terminal in character mode without echo ({@code stty -icanon -echo}), restored at close. */
    private record CharacterMode(String saved) implements AutoCloseable {

        static CharacterMode enter() {
            if (System.console() == null || !System.console().isTerminal() || !new File("/dev/tty").canRead()) {
                return new CharacterMode(null);
            }
            String saved = stty("-g");
            if (saved == null || stty("-icanon", "-echo", "min", "1") == null) {
                return new CharacterMode(null);
            }
            return new CharacterMode(saved.strip());
        }

        @Override
        public void close() {
            if (saved != null) {
                stty(saved);
            }
        }

        private static String stty(String... args) {
            String[] command = new String[args.length + 1];
            command[0] = "stty";
            System.arraycopy(args, 0, command, 1, args.length);
            try {
                Process p = new ProcessBuilder(command).redirectInput(new File("/dev/tty"))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return p.waitFor() == 0 ? output : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
