package org.moelab.magics;

import java.util.ArrayList;
import java.util.List;
import org.moelab.experiments.Papers;
import org.moelab.lab.Preset;

/**
 * {@code %moe reproduce <paper> [--full]}: runs the paper's experiment (quick preset unless {@code --full}) with
 * live progress, then shows its tables, charts and claim verdict.
 */
public final class ReproduceCommand implements MoeCommand {
    @Override
    public String name() {
        return "reproduce";
    }

    @Override
    public String summary() {
        return "run a paper's experiment and show its table, charts and verdict: %moe reproduce <paper> [--full]";
    }

    @Override
    public String usage() {
        return "%moe reproduce <paper> [--full]\n  paper: one of " + String.join(", ", Papers.ids())
                + "\n  --full: the multi-seed preset reported in papers/<paper>.md (default: quick, a few minutes)";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        List<String> positional = new ArrayList<>();
        boolean full = false;
        for (String a : args) {
            if (a.equals("--full")) full = true;
            else if (a.equals("--quick")) full = false;
            else if (a.startsWith("--")) throw new IllegalArgumentException("%moe reproduce: unknown option " + a + "\n" + usage());
            else positional.add(a);
        }
        if (positional.size() != 1) throw new IllegalArgumentException("%moe reproduce: name one paper\n" + usage());
        context.display(Papers.reproduce(positional.get(0), full ? Preset.FULL : Preset.QUICK));
    }
}
