package org.moelab.kernel.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Prints an exception the way a notebook user wants it: the user's frames, not the fifty frames of reflection,
 * executor and JShell plumbing below them. A frame of notebook code ({@code REPL.$JShell$12.f}) is shown as
 * {@code f(#12:3)}: snippet 12, line 3, like the jshell tool does.
 */
public final class StackTraces {
    private static final String REPL_PREFIX = "REPL.$JShell$";

    private StackTraces() {
    }

    public static List<String> format(Throwable throwable) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = throwable;
        String prefix = "";
        while (current != null && seen.add(current)) {
            lines.add(prefix + current);
            for (StackTraceElement frame : userFrames(current.getStackTrace())) {
                lines.add("\tat " + describe(frame));
            }
            current = current.getCause();
            prefix = "Caused by: ";
        }
        return lines;
    }

    /** The frames above the point where the kernel invoked the snippet. */
    static List<StackTraceElement> userFrames(StackTraceElement[] frames) {
        List<StackTraceElement> kept = new ArrayList<>();
        for (StackTraceElement frame : frames) {
            if (isKernelPlumbing(frame)) {
                break;
            }
            kept.add(frame);
        }
        return kept.isEmpty() ? List.of(frames) : kept;
    }

    private static boolean isKernelPlumbing(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.startsWith("jdk.internal.reflect.")
                || type.equals("java.lang.reflect.Method")
                || type.startsWith("org.moelab.kernel.execution.")
                || type.startsWith("jdk.jshell.");
    }

    static String describe(StackTraceElement frame) {
        String type = frame.getClassName();
        if (!type.startsWith(REPL_PREFIX)) {
            return frame.toString();
        }
        String snippet = type.substring(REPL_PREFIX.length());
        int nested = snippet.indexOf('$');
        String snippetId = nested < 0 ? snippet : snippet.substring(0, nested);
        String method = frame.getMethodName().equals("do_it$") ? "cell" : frame.getMethodName();
        return method + "(#" + snippetId + ":" + frame.getLineNumber() + ")";
    }
}
