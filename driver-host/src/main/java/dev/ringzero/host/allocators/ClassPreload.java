package dev.ringzero.host.allocators;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MethodTypeEntry;
import java.lang.classfile.constantpool.NameAndTypeEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads, through an implementation's own class loader, every class of its jar and every class those name, before
 * its jar can go away.
 *
 * <h2>Why</h2>
 * Deleting a jar from {@code allocators/} cannot be vetoed: FileInstall uninstalls the bundle and refreshes the
 * framework's wiring, and Felix then answers every further class load through that bundle's class loader with
 * {@code ClassNotFoundException} ("the bundle wiring ... is no longer valid"). The lists the implementation made
 * must go on working until their drivers delete them, and the code paths a running list has not taken yet —
 * flush at delete, the reaction to a Depth change, a bug check — would then fail on their first class. Two kinds
 * of class are at stake:
 * <ul>
 *   <li>the jar's own classes, defined by the bundle's loader: loading each now defines it;</li>
 *   <li>the classes they refer to from elsewhere (the API, the SPI, the JDK): resolving a reference from a class
 *       goes through its defining loader unless the JVM has recorded that loader as an <em>initiating</em> loader
 *       of the class, which {@link Class#forName(String, boolean, ClassLoader)} does. So every class named in
 *       the jar's constant pools and descriptors is looked up once through the bundle's loader.</li>
 * </ul>
 * Classes are loaded, not initialized: nothing of the implementation runs here.
 */
public final class ClassPreload {

    private static final Pattern REFERENCE = Pattern.compile("L([^;<>]+);");

    private ClassPreload() {
    }

    /** What a preload did: the jar's own classes defined, the other classes they name looked up. */
    public record Result(int ownClasses, int referencedClasses, List<String> failed) {
    }

    /**
     * Loads every class of {@code classFiles} (their bytes, by entry name {@code a/b/C.class}) through
     * {@code loader}, then every class they name.
     *
     * @return the counts, and the jar's own classes that did not load (a broken jar; the names it refers to but
     *         that nothing exports — an optional import — are skipped, they could not have loaded later either)
     */
    public static Result preload(ClassLoader loader, Map<String, byte[]> classFiles) {
        Set<String> own = new LinkedHashSet<>();
        Set<String> named = new LinkedHashSet<>();
        for (Map.Entry<String, byte[]> f : classFiles.entrySet()) {
            String entry = f.getKey();
            if (!entry.endsWith(".class") || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")
                    || entry.startsWith("META-INF/")) {
                continue;
            }
            ClassModel model;
            try {
                model = ClassFile.of().parse(f.getValue());
            } catch (IllegalArgumentException notAClass) {
                continue;
            }
            own.add(binaryName(model.thisClass().asInternalName()));
            namedIn(model, named);
        }
        List<String> failed = new ArrayList<>();
        for (String c : own) {
            if (!load(c, loader)) {
                failed.add(c);
            }
        }
        named.removeAll(own);
        int referenced = 0;
        for (String c : named) {
            if (load(c, loader)) {
                referenced++;
            }
        }
        return new Result(own.size() - failed.size(), referenced, List.copyOf(failed));
    }

    private static boolean load(String binaryName, ClassLoader loader) {
        try {
            Class.forName(binaryName, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError notThere) {
            return false;
        }
    }

    /** Every class {@code model} names: its constant pool's classes and the types of its descriptors. */
    private static void namedIn(ClassModel model, Set<String> into) {
        for (PoolEntry e : model.constantPool()) {
            switch (e) {
                case ClassEntry c -> addInternal(c.asInternalName(), into);
                case NameAndTypeEntry nt -> addDescriptor(nt.type().stringValue(), into);
                case MethodTypeEntry mt -> addDescriptor(mt.descriptor().stringValue(), into);
                default -> {
                    // strings, numbers, member references (their class and type are entries of their own)
                }
            }
        }
        model.methods().forEach(m -> addDescriptor(m.methodType().stringValue(), into));
        model.fields().forEach(f -> addDescriptor(f.fieldType().stringValue(), into));
    }

    private static void addInternal(String internal, Set<String> into) {
        if (internal.startsWith("[")) {
            addDescriptor(internal, into);   // an array class: its element type
        } else {
            into.add(binaryName(internal));
        }
    }

    private static void addDescriptor(String descriptor, Set<String> into) {
        Matcher m = REFERENCE.matcher(descriptor);
        while (m.find()) {
            into.add(binaryName(m.group(1)));
        }
    }

    private static String binaryName(String internal) {
        return internal.replace('/', '.');
    }
}
