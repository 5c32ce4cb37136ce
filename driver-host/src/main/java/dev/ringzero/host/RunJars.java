package dev.ringzero.host;

import dev.ringzero.host.manifest.DriverJar;
import dev.ringzero.host.launch.HostException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ringzero run}'s jars, checked before the framework starts and before any {@code DriverEntry}
 * runs: each must be a readable driver bundle ({@link DriverJar#inspect}), named once, and hold a driver
 * whose name no other jar of the run holds — NT loads one driver per service name, and a second load of
 * a name would only be refused after the first one's {@code DriverEntry} had run.
 *
 * @param jars     the driver jars, in the order given, when every one is good
 * @param problems one line per bad jar, naming it and what is wrong; empty when the run can go on
 */
record RunJars(List<DriverJar> jars, List<String> problems) {

    static RunJars check(List<Path> paths) {
        List<DriverJar> good = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<Path, Path> files = new HashMap<>();
        Map<String, DriverJar> names = new HashMap<>();
        for (Path path : paths) {
            DriverJar jar;
            try {
                jar = DriverJar.inspect(path);
            } catch (HostException e) {
                problems.add(e.getMessage());
                continue;
            }
            Path first = files.putIfAbsent(sameFileKey(path), path);
            if (first != null) {
                problems.add(first.equals(path) ? path + " is named twice; a driver is loaded once"
                        : path + " is the same file as " + first + "; a driver is loaded once");
                continue;
            }
            DriverJar holder = names.putIfAbsent(jar.driverName(), jar);
            if (holder != null) {
                problems.add(path + " holds the driver " + jar.driverName() + ", as " + holder.path()
                        + " does; a driver name is loaded once (STATUS_IMAGE_ALREADY_LOADED)");
                continue;
            }
            good.add(jar);
        }
        return new RunJars(problems.isEmpty() ? List.copyOf(good) : List.of(), List.copyOf(problems));
    }

    /** The file a path names, links and {@code ..} resolved, so that two spellings of one jar are one. */
    private static Path sameFileKey(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException | SecurityException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    boolean ok() {
        return problems.isEmpty();
    }
}
