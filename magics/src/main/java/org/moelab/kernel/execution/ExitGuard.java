package org.moelab.kernel.execution;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a cell's compiled classes so that {@code System.exit(n)}, {@code Runtime.exit(n)} and
 * {@code Runtime.halt(n)} (direct calls and method references) call {@link org.moelab.kernel.runtime.CellExit}
 * instead, which throws a clear error: the kernel runs cells in its own JVM, so an exit would kill the kernel and
 * every variable with it. Only notebook code is rewritten; a library that exits is not caught (README: what a cell
 * cannot do), nor is an exit reached through reflection.
 */
final class ExitGuard {
    private static final String CELL_EXIT = "org/moelab/kernel/runtime/CellExit";

    private ExitGuard() {
    }

    static byte[] rewrite(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        boolean[] changed = new boolean[1];
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        String[] target = replacement(opcode == Opcodes.INVOKESTATIC, owner, method, desc);
                        if (target != null) {
                            changed[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, CELL_EXIT, target[0], target[1], false);
                        } else {
                            super.visitMethodInsn(opcode, owner, method, desc, itf);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String desc, Handle bootstrap, Object... args) {
                        Object[] rewritten = args.clone();
                        for (int i = 0; i < rewritten.length; i++) {
                            if (rewritten[i] instanceof Handle handle && rewrite(handle) != handle) {
                                rewritten[i] = rewrite(handle);
                                changed[0] = true;
                            }
                        }
                        super.visitInvokeDynamicInsn(name, desc, bootstrap, rewritten);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof Handle handle && rewrite(handle) != handle) {
                            changed[0] = true;
                            value = rewrite(handle);
                        }
                        super.visitLdcInsn(value);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : classFile;
    }

    /** {name, descriptor} in CellExit for an exiting call, or null. */
    private static String[] replacement(boolean isStatic, String owner, String method, String desc) {
        if (isStatic && owner.equals("java/lang/System") && method.equals("exit") && desc.equals("(I)V")) {
            return new String[] {"exit", "(I)V"};
        }
        if (!isStatic && owner.equals("java/lang/Runtime") && desc.equals("(I)V")
                && (method.equals("exit") || method.equals("halt"))) {
            return new String[] {method, "(Ljava/lang/Runtime;I)V"};
        }
        return null;
    }

    private static Handle rewrite(Handle handle) {
        boolean isStatic = handle.getTag() == Opcodes.H_INVOKESTATIC;
        boolean isVirtual = handle.getTag() == Opcodes.H_INVOKEVIRTUAL;
        if (!isStatic && !isVirtual) {
            return handle;
        }
        String[] target = replacement(isStatic, handle.getOwner(), handle.getName(), handle.getDesc());
        return target == null ? handle : new Handle(Opcodes.H_INVOKESTATIC, CELL_EXIT, target[0], target[1], false);
    }
}
