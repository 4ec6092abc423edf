package org.moelab.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.moelab.kernel.display.DisplayListener;

/** A real {@link MoeLabKernel} in the test JVM, with helpers to run a cell and look at what it showed. */
final class KernelSession implements AutoCloseable {
    final MoeLabKernel kernel;
    final List<DisplayData> displayed = new ArrayList<>();

    KernelSession() {
        this(Duration.ofMillis(500));
    }

    KernelSession(Duration stopGrace) {
        kernel = new MoeLabKernel(new KernelOptions(KernelOptions.DEFAULT_COMPILER_OPTIONS, stopGrace, true));
        kernel.setDisplayListener(new DisplayListener() {
            @Override
            public void displayed(DisplayData data) {
                displayed.add(data);
            }

            @Override
            public void updated(String displayId, DisplayData data) {
                displayed.add(data);
            }
        });
    }

    /** The cell's rendered value (text/plain), or null when the cell shows no value. */
    String eval(String code) throws Exception {
        DisplayData data = kernel.eval(code);
        return data == null ? null : (String) data.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
    }

    DisplayData evalData(String code) throws Exception {
        return kernel.eval(code);
    }

    /** Runs a cell and returns what it printed to System.out. */
    String printed(String code) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            kernel.eval(code);
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        kernel.onShutdown(false);
    }
}
