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
    static final int MAX_CYCLE = 16;
    static final int MAX_FRAMES = 40;

    private StackTraces() {
    }

    public static List<String> format(Throwable throwable) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = throwable;
        String prefix = "";
        while (current != null && seen.add(current)) {
            lines.add(prefix + current);
            lines.addAll(frameLines(current.getStackTrace()));
            current = current.getCause();
            prefix = "Caused by: ";
        }
        return lines;
    }

    /**
     * The user's frames, with recursion folded: a block of up to {@value #MAX_CYCLE} frames that repeats is shown
     * once with a count (a {@link StackOverflowError} carries the JVM's 1,024 innermost frames, all of them the same
     * few), and at most {@value #MAX_FRAMES} lines of frames in all.
     */
    static List<String> frameLines(StackTraceElement[] all) {
        List<StackTraceElement> frames = userFrames(all);
        boolean cutByJvm = frames.size() == all.length && all.length >= 1024;
        List<String> lines = new ArrayList<>();
        int shown = 0;
        int i = 0;
        while (i < frames.size()) {
            if (shown >= MAX_FRAMES) {
                lines.add("\t... " + (frames.size() - i) + " more frames");
                break;
            }
            int[] cycle = repetition(frames, i);
            int period = cycle[0];
            int repeats = cycle[1];
            for (int j = 0; j < period; j++) {
                lines.add("\tat " + describe(frames.get(i + j)));
            }
            shown += period;
            if (repeats > 1) {
                lines.add(period == 1
                        ? "\t... the frame above repeats " + (repeats - 1) + " more times"
                        : "\t... the " + period + " frames above repeat " + (repeats - 1) + " more times");
            }
            i += period * repeats;
        }
        if (cutByJvm) {
            lines.add("\t(the JVM keeps only the innermost " + all.length + " frames of a trace)");
        }
        return lines;
    }

    /** {period, times} of the shortest block starting at {@code start} that repeats at least 3 times; else {1, 1}. */
    private static int[] repetition(List<StackTraceElement> frames, int start) {
        for (int period = 1; period <= MAX_CYCLE && start + 3 * period <= frames.size(); period++) {
            int times = 1;
            while (sameBlock(frames, start, start + times * period, period)) {
                times++;
            }
            if (times >= 3) {
                return new int[] {period, times};
            }
        }
        return new int[] {1, 1};
    }

    private static boolean sameBlock(List<StackTraceElement> frames, int a, int b, int length) {
        if (b + length > frames.size()) {
            return false;
        }
        for (int j = 0; j < length; j++) {
            if (!frames.get(a + j).equals(frames.get(b + j))) {
                return false;
            }
        }
        return true;
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
