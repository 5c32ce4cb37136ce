package dev.ringzero.host;

import dev.ringzero.host.launch.HostException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * {@code ringzero run --jfr FILE}: a JFR recording of the whole run with the settings of
 * {@code etc/ringzero.jfc} (Ringzero's events only), written to {@code FILE} when the run ends — after the
 * last driver's unload, so every load, unload and bug check of the run is in it.
 */
final class RunRecording implements AutoCloseable {

    /** The settings file, in the distribution's {@code etc/}. */
    static final String SETTINGS = "ringzero.jfc";

    private final Recording recording;
    private final Path file;
    private final PrintStream err;

    private RunRecording(Recording recording, Path file, PrintStream err) {
        this.recording = recording;
        this.file = file;
        this.err = err;
    }

    /**
     * Starts the recording, or nothing when {@code file} is {@code null}.
     *
     * @throws HostException ({@link HostException.Kind#USAGE}) when the settings cannot be read or the file's
     *         folder does not exist
     */
    static RunRecording start(Path file, Path etcDir, PrintStream err) throws HostException {
        if (file == null) {
            return new RunRecording(null, null, err);
        }
        Path settings = etcDir.resolve(SETTINGS);
        Path target = file.toAbsolutePath().normalize();
        if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
            throw new HostException(HostException.Kind.USAGE, "--jfr " + file + ": the folder " + target.getParent()
                    + " does not exist");
        }
        try {
            Recording r = new Recording(Configuration.create(settings));
            r.setName("ringzero run");
            r.setToDisk(true);
            r.setDestination(target);
            r.start();
            return new RunRecording(r, target, err);
        } catch (IOException | ParseException e) {
            throw new HostException(HostException.Kind.USAGE, "--jfr: cannot read the JFR settings " + settings + ": "
                    + e.getMessage(), e);
        }
    }

    /** Stops the recording, which writes it to the file. */
    @Override
    public void close() {
        if (recording == null) {
            return;
        }
        try {
            recording.stop();
        } catch (IllegalStateException e) {
            err.println("ringzero: the JFR recording was not written to " + file + ": " + e.getMessage());
        } finally {
            recording.close();
        }
    }
}
