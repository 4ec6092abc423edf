package org.moelab.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The smallest sweep that still trains real models: the MoM recall experiment's quick preset cut down to a few
 * steps of a narrow one-block model (well under a second a point), 2 arms × 2 seeds × 2 learning rates.
 */
final class TinySweeps {
    static final List<String> TINY = List.of("--set", "steps=6", "--set", "dModel=16", "--set", "layers=1", "--set", "batch=4",
            "--set", "evalRows=8", "--set", "trainPairs=2,4", "--set", "testPairs=2,4");

    private TinySweeps() {}

    /** mom, arms ATTENTION and MOM, the given seeds, lr grid 0.01 and 0.02, on {@code master}, results under {@code out}. */
    static SweepPlan plan(String master, Path out, String seeds, String... more) {
        List<String> args = new ArrayList<>(List.of("mom", "--seeds", seeds, "--arms", "ATTENTION,MOM", "--master", master, "--out", out.toString()));
        args.addAll(TINY);
        args.addAll(List.of(more));
        return SweepPlan.parse(args);
    }

    static SweepPlan gridPlan(String master, Path out) {
        return plan(master, out, "1..2", "--grid", "lr=0.01,0.02");
    }

    /** Every point's metrics as trained directly, in this thread, without Spark. */
    static List<Map<String, Double>> direct(List<PointResult> points) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (PointResult r : points) out.add(new PaperPoints().measure(r.point()));
        return out;
    }
}
