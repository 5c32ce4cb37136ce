package dev.ringzero.host.felix;

import dev.ringzero.host.launch.HostException;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.host.manifest.ApiPackages;
import dev.ringzero.host.reports.DbgPrintLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * The framework before and after a host: its properties ({@code etc/config.properties} and what the layout
 * and mode decide), the platform bundles it installs, its private storage folder, and stopping it for good.
 * Static and stateless: {@link FelixHost} calls it while it starts and closes.
 */
final class FrameworkSetup {

    /** The package JFR's instrumented {@code commit} of an event calls into. */
    static final String JFR_EVENT_WRITER = "jdk.jfr.internal.event";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    private FrameworkSetup() {
    }

    /** How often FileInstall looks at {@code drivers/} ({@code felix.fileinstall.poll}); the folder's own look follows it. */
    static Duration fileInstallPoll(Framework framework) {
        try {
            return Duration.ofMillis(Math.max(50, Long.parseLong(framework.getBundleContext().getProperty("felix.fileinstall.poll"))));
        } catch (NumberFormatException | NullPointerException unset) {
            return Duration.ofSeconds(1);
        }
    }

    /** Stops the framework (waiting for it), closes the log and deletes the storage; reports nothing. */
    static void abandon(Framework framework, DbgPrintLog log, Path storage) {
        if (framework != null) {
            try {
                framework.stop();
                framework.waitForStop(TimeUnit.SECONDS.toMillis(60));
            } catch (BundleException | RuntimeException e) {
                // stopping anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            log.close();
        } catch (IOException e) {
            // nothing left to tell
        }
        deleteTree(storage);
    }

    /** The platform bundles for the mode: {@code system/*.jar}; for the host also {@code system/shell/}, {@code system/deploy/}. */
    static List<Path> platformBundles(HostSettings settings) throws HostException {
        List<Path> jars = new ArrayList<>(jarsIn(settings.systemDir()));
        if (jars.isEmpty()) {
            throw new HostException(HostException.Kind.FAULT, "no platform bundles in " + settings.systemDir());
        }
        if (settings.mode() == HostSettings.Mode.HOST) {
            jars.addAll(jarsIn(settings.systemDir().resolve("shell")));
            jars.addAll(jarsIn(settings.systemDir().resolve("deploy")));
        }
        return jars;
    }

    static List<Path> jarsIn(Path dir) throws HostException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new HostException(HostException.Kind.FAULT, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static List<Bundle> installPlatformBundles(BundleContext context, HostSettings settings) throws HostException {
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : platformBundles(settings)) {
            try {
                installed.add(context.installBundle(DriverLoader.location(jar)));
            } catch (BundleException e) {
                throw new HostException(HostException.Kind.FAULT, "cannot install platform bundle " + jar + ": " + e.getMessage(), e);
            }
        }
        return installed;
    }

    /**
     * The framework's properties: {@code etc/config.properties} ({@code ${ringzero.home}} and the other
     * {@code ringzero.*} values substituted), then what the layout and mode decide, then the settings'
     * own.
     */
    static Map<String, String> frameworkProperties(HostSettings settings, Path storage) throws HostException {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ringzero.home", settings.home().toString());
        vars.put("ringzero.etc", settings.etcDir().toString());
        vars.put("ringzero.data", settings.dataDir().toString());
        vars.put("ringzero.log", settings.logDir().toString());
        vars.put("ringzero.drivers", settings.driversDir().toString());

        Map<String, String> props = new LinkedHashMap<>();
        Path config = settings.etcDir().resolve("config.properties");
        if (Files.isRegularFile(config)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new HostException(HostException.Kind.FAULT, "cannot read " + config + ": " + e.getMessage(), e);
            }
            for (String key : p.stringPropertyNames().stream().sorted().toList()) {
                props.put(key, substitute(p.getProperty(key), vars));
            }
        }
        props.putAll(vars);
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, ApiPackages.systemPackagesExtra());
        // a JFR event class's commit, as JFR instruments it, calls jdk.jfr.internal.event.EventWriter: a bundle's
        // events (the pool's, the lookaside machinery's while they are bundles) must find it through the boot loader
        props.merge(Constants.FRAMEWORK_BOOTDELEGATION, JFR_EVENT_WRITER, (configured, jfr) -> configured + "," + jfr);
        // drivers/, and issue 21's allocators/ (FileInstall takes a comma-separated list: one watcher each)
        props.put("felix.fileinstall.dir", settings.driversDir() + "," + AllocatorBundles.folder(settings));
        // FileInstall logs to java.util.logging, where DeployFolder makes each message one line (a bundle that
        // does not resolve: the missing packages named), never a stack trace on the console
        props.put("felix.fileinstall.log.default", "jul");
        // no URL handlers: the host needs none (bundle locations are reference:file:), and without them Felix sets no
        // JVM-wide URL stream handler factory, which took deep reflection into java.net and sun.misc.Unsafe
        props.put("felix.service.urlhandlers", "false");
        props.put("gosh.home", settings.home().toString());
        if (!settings.interactive()) {
            props.put("gosh.args", "--nointeractive");
        }
        props.putAll(settings.frameworkProperties());
        return props;
    }

    static String substitute(String value, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = vars.getOrDefault(m.group(1), m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Deletes {@code felix-<pid>[-<n>]} storage folders of host processes that are gone. */
    static void deleteStaleStorage(Path dataDir) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir, "felix-*")) {
            for (Path dir : dirs) {
                String pid = dir.getFileName().toString().substring("felix-".length()).split("-")[0];
                try {
                    if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                deleteTree(dir);
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // left for the next start's clean-up
        }
    }
}
