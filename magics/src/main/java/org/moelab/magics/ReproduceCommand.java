package org.moelab.magics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.moelab.experiments.Papers;
import org.moelab.lab.Preset;
import org.moelab.sweep.SecondRounds;
import org.moelab.sweep.SweepPlan;

/**
 * {@code %moe reproduce <paper> [--full] [--master URL]}: runs the paper's experiment (quick preset unless
 * {@code --full}) with live progress, then shows its tables, charts and claim verdict. With {@code --full}, a paper
 * whose page pre-registered a second round ({@link SecondRounds}) runs that sweep instead, on Spark (embedded unless
 * {@code --master}): the page's second-round tables and verdicts, and a rerun reads the stored points back.
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
        return "%moe reproduce <paper> [--full] [--master URL]\n  paper: one of " + String.join(", ", Papers.ids())
                + "\n  --full: what papers/<paper>.md reports (default: quick, a few minutes); for " + String.join(", ", SecondRounds.papers())
                + " the pre-registered second-round sweep, on Spark (--master, default " + SweepPlan.DEFAULT_MASTER + ")";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        List<String> positional = new ArrayList<>();
        List<String> sweepOptions = new ArrayList<>();
        boolean full = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--full")) full = true;
            else if (a.equals("--quick")) full = false;
            else if (a.equals("--master") && i + 1 < args.size()) sweepOptions.addAll(List.of(a, args.get(++i)));
            else if (a.startsWith("--")) throw new IllegalArgumentException("%moe reproduce: unknown option " + a + "\n" + usage());
            else positional.add(a);
        }
        if (positional.size() != 1) throw new IllegalArgumentException("%moe reproduce: name one paper\n" + usage());
        String paper = positional.get(0);
        Papers.byId(paper).orElseThrow(() -> new IllegalArgumentException("No paper '" + paper + "'. Papers: " + String.join(", ", Papers.ids())));
        Optional<SweepPlan> secondRound = full ? SecondRounds.plan(paper, sweepOptions) : Optional.empty();
        if (!sweepOptions.isEmpty() && secondRound.isEmpty()) {
            throw new IllegalArgumentException("%moe reproduce: --master applies to --full of " + String.join(", ", SecondRounds.papers()) + " (a sweep)\n" + usage());
        }
        if (secondRound.isPresent()) context.display(SweepCommand.run(secondRound.get()));
        else context.display(Papers.reproduce(paper, full ? Preset.FULL : Preset.QUICK));
    }
}
