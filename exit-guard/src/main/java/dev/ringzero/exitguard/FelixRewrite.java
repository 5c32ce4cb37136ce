package dev.ringzero.exitguard;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.Set;

/**
 * Rewrites Apache Felix's bundle ({@code org.apache.felix.framework.BundleImpl}) and framework
 * ({@code org.apache.felix.framework.Felix}) classes as they load: each public instance method named in
 * {@link #GATED} gets, before its first instruction,
 * <pre>
 *     ldc "Bundle.stop"       // the routine: Bundle or Framework, and the method's name
 *     invokestatic dev/ringzero/exitguard/LifecycleGate.check(Ljava/lang/String;)V
 * </pre>
 * and nothing else changes.
 */
final class FelixRewrite {

    static final String BUNDLE = "org/apache/felix/framework/BundleImpl";
    static final String FRAMEWORK = "org/apache/felix/framework/Felix";
    /** The lifecycle entry points, and the two doors to the rest of the framework (a context, an adaptation). */
    static final Set<String> GATED = Set.of("start", "stop", "update", "uninstall", "init", "getBundleContext", "adapt");

    private static final ClassDesc GATE = ClassDesc.of(LifecycleGate.class.getName());
    private static final MethodTypeDesc CHECK = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_String);

    private FelixRewrite() {
    }

    /**
     * Rewrites a class made up for it, so that this class is initialized and the ClassFile API's classes are loaded
     * before the agent's transformer first runs: a class loaded while a class is being transformed is not itself
     * offered to the transformer, and what fails in there the JVM swallows without a word.
     */
    static void initialize() {
        byte[] probe = ClassFile.of().build(ClassDesc.of("dev.ringzero.exitguard.LifecycleProbe"), clazz -> clazz
                .withMethodBody("stop", MethodTypeDesc.of(ConstantDescs.CD_void), ClassFile.ACC_PUBLIC, CodeBuilder::return_));
        rewrite(probe);
    }

    /** Whether {@code internalName} is a class this rewrites. */
    static boolean rewrites(String internalName) {
        return BUNDLE.equals(internalName) || FRAMEWORK.equals(internalName);
    }

    /**
     * The rewritten class file.
     *
     * @throws IllegalArgumentException when the class has none of the gated methods (not the Felix this was written for)
     */
    static byte[] rewrite(byte[] classFile) {
        ClassFile cf = ClassFile.of();
        ClassModel model = cf.parse(classFile);
        String owner = model.thisClass().asInternalName().equals(FRAMEWORK) ? "Framework." : "Bundle.";
        if (model.methods().stream().noneMatch(m -> isGated(m) && m.methodName().equalsString("stop"))) {
            throw new IllegalArgumentException(model.thisClass().asInternalName() + " has no public stop() to rewrite");
        }
        return cf.transformClass(model, (clazz, element) -> {
            if (element instanceof MethodModel m && isGated(m)) {
                clazz.transformMethod(m, MethodTransform.transformingCode(checkFirst(owner + m.methodName().stringValue())));
            } else {
                clazz.with(element);
            }
        });
    }

    private static boolean isGated(MethodModel m) {
        int flags = m.flags().flagsMask();
        // bridges included: Felix (public) reaches BundleImpl's (package-private) getBundleContext through one
        return GATED.contains(m.methodName().stringValue()) && m.code().isPresent()
                && (flags & ClassFile.ACC_PUBLIC) != 0 && (flags & ClassFile.ACC_STATIC) == 0;
    }

    private static CodeTransform checkFirst(String routine) {
        return new CodeTransform() {
            @Override
            public void atStart(CodeBuilder code) {
                code.loadConstant(routine).invokestatic(GATE, "check", CHECK);
            }

            @Override
            public void accept(CodeBuilder code, CodeElement element) {
                code.with(element);
            }
        };
    }
}
