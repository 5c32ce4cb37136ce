package dev.ringzero.distribution;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** A session of Gogo's {@code CommandProcessor} in a running host (the Gogo API is reached reflectively: it is not on this class path). */
final class GogoSession implements AutoCloseable {

    private final BundleContext context;
    private final ServiceReference<?> ref;
    private final Class<?> sessionApi;
    private final Object session;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    GogoSession(BundleContext context) throws Exception {
        this(context, InputStream.nullInputStream());
    }

    /** A session whose commands read {@code input} (a command that reads keys, as {@code kd:poolmon}). */
    GogoSession(BundleContext context, InputStream input) throws Exception {
        this.context = context;
        ref = context.getServiceReference("org.apache.felix.service.command.CommandProcessor");
        if (ref == null) {
            throw new AssertionError("no Gogo CommandProcessor in the host");
        }
        Object processor = context.getService(ref);
        Class<?> processorApi = ref.getBundle().loadClass("org.apache.felix.service.command.CommandProcessor");
        sessionApi = ref.getBundle().loadClass("org.apache.felix.service.command.CommandSession");
        PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
        session = processorApi.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                .invoke(processor, input, print, print);
    }

    /** Runs a command line; returns what it returned, then what it printed, as text ({@code failed: ...} when it threw). */
    String execute(String line) throws Exception {
        console.reset();
        try {
            Object result = sessionApi.getMethod("execute", CharSequence.class).invoke(session, line);
            return (result == null ? "" : String.valueOf(result)) + console.toString(StandardCharsets.UTF_8);
        } catch (InvocationTargetException e) {
            return "failed: " + e.getCause() + console.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws Exception {
        sessionApi.getMethod("close").invoke(session);
        context.ungetService(ref);
    }
}
