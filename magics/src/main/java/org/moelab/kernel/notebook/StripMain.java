package org.moelab.kernel.notebook;

import java.nio.file.Path;

/** {@code ./moelab strip}: removes outputs and execution counts from notebooks, in place. */
public final class StripMain {
    private StripMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            Path path = Path.of(arg);
            NotebookFile.read(path).stripped().write(path);
            System.out.println("stripped " + path);
        }
    }
}
