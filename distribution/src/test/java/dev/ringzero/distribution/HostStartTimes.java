package dev.ringzero.distribution;

import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.felix.HostListener;
import dev.ringzero.host.launch.HostSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * How long the host takes to start, beside a bare Felix start with the same bundles — a timed harness,
 * not a test (no timing is ever asserted). Each sample is a fresh JVM, so every number is a cold start:
 * <ul>
 *   <li><b>bare Felix</b>: {@code FrameworkFactory} found, framework initialized, the same
 *       {@code system/*.jar} installed and started, with the same framework properties;</li>
 *   <li><b>Ringzero host</b>: {@link FelixHost#start} to ready-to-load (the same, plus the executive's
 *       services awaited and the driver extender opened);</li>
 *   <li><b>bin/ringzero run</b>: the real launcher (module path) with {@code -Dringzero.timings=true}: its
 *       host start as it reports it, and the whole command's wall time (JVM start, the sample driver,
 *       report, unload, exit).</li>
 * </ul>
 * Run it after {@code ./mvnw verify -pl distribution -am} (or {@code package} plus {@code test-compile}):
 * <pre>
 * java -cp "distribution/target/test-classes:distribution/target/ringzero/lib/*" \
 *      dev.ringzero.distribution.HostStartTimes distribution/target/ringzero 15
 * </pre>
 */
public final class HostStartTimes {

    /** On the class path the executive is unnamed code: native access for ALL-UNNAMED; Unsafe denied as in bin/ringzero. */
    private static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=deny");
    private static final Pattern HOST_START = Pattern.compile("host start (\\d+) ms");

    private HostStartTimes() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], Path.of(args[2]), Path.of(args[3]));
            return;
        }
        Path home = Path.of(args.length > 0 ? args[0] : "distribution/target/ringzero").toAbsolutePath().normalize();
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String java = ProcessHandle.current().info().command().orElse("java");
        Map<String, List<Double>> ms = new HashMap<>();
        // one warm-up round (file cache), not counted
        for (int i = -1; i < samples; i++) {
            // alternate the order so that neither always runs right after the other
            List<String> order = i % 2 == 0 ? List.of("bare", "host", "cli") : List.of("cli", "host", "bare");
            for (String kind : order) {
                double[] values = kind.equals("cli") ? cli(home) : new double[] {fork(java, kind, home)};
                if (i >= 0) {
                    ms.computeIfAbsent(kind, k -> new ArrayList<>()).add(values[0]);
                    if (values.length > 1) {
                        ms.computeIfAbsent("cli-wall", k -> new ArrayList<>()).add(values[1]);
                    }
                }
            }
        }
        System.out.println("samples per row: " + samples + " (cold JVMs; milliseconds)");
        System.out.printf(Locale.ROOT, "%-52s %8s %8s %8s%n", "", "median", "min", "max");
        row("bare Felix: same bundles started", ms.get("bare"));
        row("Ringzero host: FelixHost.start to ready-to-load", ms.get("host"));
        row("bin/ringzero run: host start (ringzero.timings)", ms.get("cli"));
        row("bin/ringzero run: whole command, wall time", ms.get("cli-wall"));
        System.out.printf(Locale.ROOT, "ratio host / bare (medians): %.2f%n", median(ms.get("host")) / median(ms.get("bare")));
        System.out.printf(Locale.ROOT, "ratio bin/ringzero run host start / bare (medians): %.2f%n",
                median(ms.get("cli")) / median(ms.get("bare")));
    }

    private static void row(String what, List<Double> values) {
        System.out.printf(Locale.ROOT, "%-52s %8.0f %8.0f %8.0f%n", what, median(values),
                values.stream().min(Comparator.naturalOrder()).orElseThrow(), values.stream().max(Comparator.naturalOrder()).orElseThrow());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One child JVM on this class path; returns the milliseconds it printed. */
    private static double fork(String java, String kind, Path home) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("ringzero-start-");
        try {
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(JVM_FLAGS);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HostStartTimes.class.getName(),
                    "child", kind, home.toString(), tmp.toString()));
            String out = run(new ProcessBuilder(cmd));
            Matcher m = Pattern.compile("ms=(\\d+(\\.\\d+)?)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException(kind + " printed no time: " + out);
            }
            return Double.parseDouble(m.group(1));
        } finally {
            deleteTree(tmp);
        }
    }

    /** {@code bin/ringzero run}: {host start as reported, wall time of the whole command}. */
    private static double[] cli(Path home) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/ringzero").toString(), "run");
        pb.environment().put("RINGZERO_OPTS", "-Dringzero.timings=true");
        long t0 = System.nanoTime();
        String out = run(pb);
        double wall = (System.nanoTime() - t0) / 1e6;
        Matcher m = HOST_START.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("bin/ringzero run printed no host start time: " + out);
        }
        return new double[] {Double.parseDouble(m.group(1)), wall};
    }

    private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", pb.command()) + " failed: " + out);
        }
        return out;
    }

    // --------------------------------------------------------------------------------- child JVMs

    private static void child(String kind, Path home, Path tmp) throws Exception {
        long t0 = System.nanoTime();
        if (kind.equals("host")) {
            HostSettings settings = HostSettings.forHome(home).withDataDir(tmp.resolve("data")).withLogDir(tmp.resolve("log"))
                    .withConsole((driver, line) -> { });
            FelixHost host = FelixHost.start(settings, new HostListener() { });
            long t1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "ms=%.1f%n", (t1 - t0) / 1e6);
            host.close();
        } else {
            Framework framework = bareFelix(home, tmp);
            long t1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "ms=%.1f%n", (t1 - t0) / 1e6);
            framework.stop();
            framework.waitForStop(60_000);
        }
    }

    /** Felix as any embedder starts it: the host's configuration, the same bundles, nothing else. */
    private static Framework bareFelix(Path home, Path tmp) throws Exception {
        Map<String, String> config = new HashMap<>();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("etc/config.properties"))) {
            p.load(in);
        }
        p.stringPropertyNames().forEach(k -> config.put(k, p.getProperty(k)));
        config.put(Constants.FRAMEWORK_STORAGE, tmp.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the bundles import the API, so the system bundle must export it here too
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "dev.ringzero.api;version=\"1.4.0\","
                + "dev.ringzero.api.memory;version=\"2.0.0\",dev.ringzero.api.lookaside;version=\"2.0.0\"");
        config.put("felix.service.urlhandlers", "false");   // as the host: no URL handlers, no Unsafe
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        framework.init();
        BundleContext context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        try (Stream<Path> jars = Files.list(home.resolve("system"))) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList()) {
                bundles.add(context.installBundle("reference:" + jar.toUri()));
            }
        }
        framework.start();
        for (Bundle b : bundles) {
            b.start();
        }
        return framework;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
