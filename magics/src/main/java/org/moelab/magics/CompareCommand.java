package org.moelab.magics;

import java.util.ArrayList;
import java.util.List;
import org.moelab.experiments.MoeRun;
import org.moelab.experiments.RunComparison;

/** {@code %moe compare RUN1 RUN2 …}: the runs' loss curves overlaid, the settings they differ in, their metric tables side by side. */
public final class CompareCommand implements MoeCommand {
    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String summary() {
        return "overlay the loss curves of %%moe --as runs and show their settings and metric tables side by side";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        List<MoeRun> runs = new ArrayList<>();
        for (String name : args) runs.add(context.run(name));
        context.display(new RunComparison(args, runs));
    }
}
