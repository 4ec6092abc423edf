package org.moelab.magics;

import java.util.List;
import org.moelab.lab.LabEnvironment;

/** {@code %moe env}: backend, threads, JDK, versions, seed and memory limits of this kernel, as a table. */
final class EnvCommand implements MoeCommand {
    @Override
    public String name() {
        return "env";
    }

    @Override
    public String summary() {
        return "backend, BLAS threads, JDK, library versions, default seed, preset, memory limits";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        context.display(new EnvironmentTable(LabEnvironment.probe()));
    }
}
