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

/**
 * Rewrites {@code java.lang.Runtime}'s class file with the ClassFile API ({@code java.lang.classfile}):
 * {@code exit(int)} and {@code halt(int)} get, before their first instruction,
 * <pre>
 *     iload_1                 // status
 *     iconst_0 | iconst_1     // false for exit, true for halt
 *     invokestatic dev/ringzero/exitguard/ExitGate.check(IZ)V
 * </pre>
 * and nothing else changes: no method, field or branch is added, as a retransformation requires.
 */
final class RuntimeRewrite {

    static final String RUNTIME = "java/lang/Runtime";
    private static final MethodTypeDesc INT_TO_VOID = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int);
    private static final ClassDesc GATE = ClassDesc.of(ExitGate.class.getName());
    private static final MethodTypeDesc CHECK = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int,
            ConstantDescs.CD_boolean);

    private RuntimeRewrite() {
    }

    /**
     * The rewritten class file.
     *
     * @throws IllegalArgumentException naming what is missing when the class has no instance
     *         {@code exit(int)} or {@code halt(int)} returning void (not the {@code Runtime} this was written for)
     */
    static byte[] rewrite(byte[] runtimeClassFile) {
        ClassFile cf = ClassFile.of();
        ClassModel model = cf.parse(runtimeClassFile);
        for (String name : new String[] {"exit", "halt"}) {
            if (model.methods().stream().noneMatch(m -> isGuarded(m, name) && m.code().isPresent())) {
                throw new IllegalArgumentException(model.thisClass().asInternalName() + " has no instance method "
                        + name + "(int) returning void with code to rewrite");
            }
        }
        // one class transform for both methods: two transformingMethodBodies joined with andThen keep only the last
        return cf.transformClass(model, (clazz, element) -> {
            if (element instanceof MethodModel m && (isGuarded(m, "exit") || isGuarded(m, "halt"))) {
                clazz.transformMethod(m, MethodTransform.transformingCode(checkFirst(m.methodName().equalsString("halt"))));
            } else {
                clazz.with(element);
            }
        });
    }

    private static boolean isGuarded(MethodModel m, String name) {
        return m.methodName().equalsString(name) && m.methodTypeSymbol().equals(INT_TO_VOID)
                && (m.flags().flagsMask() & ClassFile.ACC_STATIC) == 0;
    }

    /** Prepends the call of the gate to a method body; the body itself is copied unchanged. */
    private static CodeTransform checkFirst(boolean halt) {
        return new CodeTransform() {
            @Override
            public void atStart(CodeBuilder code) {
                code.iload(1).loadConstant(halt ? 1 : 0).invokestatic(GATE, "check", CHECK);
            }

            @Override
            public void accept(CodeBuilder code, CodeElement element) {
                code.with(element);
            }
        };
    }
}
