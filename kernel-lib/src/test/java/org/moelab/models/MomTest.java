package org.moelab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.GatedDeltaNet;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** The MoM layer against its defining equivalences, causality, decoding and gradients. */
class MomTest {
    static final int D = 8, H = 2, DK = 3, DV = 4;

    static MoM.Builder small() {
        return MoM.builder().dModel(D).heads(H).headDim(DK).valueDim(DV).seed(11);
    }

    static Tensor input(long seed, int b, int t) {
        return Tensor.randn(new Rng(seed), b, t, D);
    }

    /** Copies MoM's core/output and the given memory's projections into a single Gated DeltaNet. */
    static GatedDeltaNet singleFrom(MoM mom, String memoryPrefix) {
        GatedDeltaNet gdn = new GatedDeltaNet(D, H, DK, DV, new Rng(99));
        Map<String, float[]> src = mom.stateDict(), dst = new LinkedHashMap<>();
        for (String name : gdn.stateDict().keySet()) {
            String from = name.startsWith("writes.") ? memoryPrefix + name.substring("writes".length()) : name;
            dst.put(name, src.get(from));
        }
        gdn.loadStateDict(dst);
        return gdn;
    }

    @Test
    void oneMemoryTopOneWithoutSharedIsASingleGatedDeltaNet() {
        MoM mom = small().memories(1).topK(1).sharedMemory(false).build();
        GatedDeltaNet gdn = singleFrom(mom, "memory0");
        Tensor x = input(1, 2, 9);
        assertArrayEquals(gdn.forward(x).toFloatArray(), mom.forward(x).toFloatArray(), 1e-5f);
    }

    @Test
    void allMemoriesSelectedWithIdenticalWeightsIsOneMemory() {
        MoM mom = small().memories(3).topK(3).sharedMemory(false).build();
        Map<String, float[]> state = mom.stateDict();
        for (String name : new ArrayList<>(state.keySet())) {
            if (name.startsWith("memory1.") || name.startsWith("memory2.")) state.put(name, state.get("memory0" + name.substring(7)));
        }
        mom.loadStateDict(state);
        GatedDeltaNet gdn = singleFrom(mom, "memory0");
        Tensor x = input(2, 2, 7);
        assertArrayEquals(gdn.forward(x).toFloatArray(), mom.forward(x).toFloatArray(), 1e-5f);
    }

    @Test
    void laterTokensNeverChangeEarlierOutputs() {
        MoM mom = small().build();
        int t = 10, changed = 6;
        Tensor x = input(3, 2, t);
        float[] before = mom.forward(x).toFloatArray();
        Tensor y = Tensor.of(x.toFloatArray(), x.shape());
        for (int b = 0; b < 2; b++) for (int tt = changed; tt < t; tt++) for (int i = 0; i < D; i++) y.set(5f * (i - tt), b, tt, i);
        float[] after = mom.forward(y).toFloatArray();
        for (int b = 0; b < 2; b++) {
            for (int tt = 0; tt < t; tt++) {
                for (int i = 0; i < D; i++) {
                    int at = (b * t + tt) * D + i;
                    // 1e-6, not 0: a later token can change a bucket's padded length and so the GEMM's blocking.
                    if (tt < changed) assertEquals(before[at], after[at], 1e-6f, "output at t=" + tt + " changed");
                }
            }
        }
        assertNotEquals(before[changed * D], after[changed * D]);
    }

    @Test
    void decodingStepByStepEqualsTheTrainingForward() {
        for (boolean shared : new boolean[] {true, false}) {
            assertDecodesAsItTrains(small().memories(4).topK(2).sharedMemory(shared).build(), "shared=" + shared);
        }
    }

    /** Token-by-token decoding of 12 tokens gives the training forward's outputs (1e-5) with a state that never grows. */
    private static void assertDecodesAsItTrains(MoM mom, String what) {
        int t = 12;
        Tensor x = input(4, 1, t);
        float[] full = mom.forward(x).toFloatArray();
        MoM.State st = mom.state();
        int floats = st.floats();
        for (int tt = 0; tt < t; tt++) {
            float[] token = new float[D];
            System.arraycopy(x.data(), tt * D, token, 0, D);
            float[] y = mom.step(st, token);
            for (int i = 0; i < D; i++) assertEquals(full[tt * D + i], y[i], 1e-5, "t=" + tt + " " + what);
            assertEquals(floats, st.floats(), "decoding state must not grow");
        }
    }

    @Test
    void aStepLeavesNonRoutedMemoriesUntouched() {
        MoM mom = small().memories(4).topK(1).build();
        MoM.State st = mom.state();
        Rng rng = new Rng(5);
        int untouchedChecks = 0;
        for (int step = 0; step < 20; step++) {
            float[][] before = new float[4][];
            for (int m = 0; m < 4; m++) before[m] = st.memory(m).clone();
            float[] token = Tensor.randn(rng, D).toFloatArray();
            mom.step(st, token);
            List<Integer> sel = new ArrayList<>();
            for (int m : st.lastSelected()) sel.add(m);
            for (int m = 0; m < 4; m++) {
                if (sel.contains(m)) continue;
                assertArrayEquals(before[m], st.memory(m), 0f, "memory " + m + " was not routed but changed (decay or write leaked)");
                untouchedChecks++;
            }
        }
        assertTrue(untouchedChecks >= 40);
        assertEquals(2L * H * DK * DV, mom.activatedStateFloats());
    }

    @Test
    void gradientsThroughRouterMemoriesAndSharedPath() {
        MoM mom = small().memories(3).topK(2).auxWeight(0.1f).build();
        Tensor x = input(6, 2, 5).requiresGrad(true);
        List<Tensor> checked = new ArrayList<>(List.of(x));
        mom.namedParameters().forEach((name, p) -> {
            if (name.startsWith("router") || name.startsWith("memory1") || name.startsWith("shared.k") || name.startsWith("core.A_log") || name.startsWith("core.dt_bias") || name.startsWith("core.convK")) checked.add(p);
        });
        // Small steps keep the discrete top-k choice fixed while differentiating.
        GradCheck.Report rep = GradCheck.check(() -> {
            RoutingContext pass = RoutingContext.evaluation();
            return mom.forward(x, null, pass).add(mom.balanceLoss(pass));
        }, checked, 2e-3, 40, 3);
        assertTrue(rep.passes(3e-2), rep.toString());
    }

    @Test
    void forcedRoutingAndTokenShare() {
        MoM mom = small().memories(4).topK(2).build();
        Tensor x = input(7, 1, 8);
        RoutingContext forced = RoutingContext.evaluation();
        mom.forward(x, new int[] {0, 1, 2, 3, 0, 0, 0, 0}, forced);
        assertArrayEquals(new double[] {5 / 8.0, 1 / 8.0, 1 / 8.0, 1 / 8.0}, MoM.tokenShare(forced.recorder().of(mom)), 1e-12);
        assertEquals(0f, mom.balanceLoss(forced).item());
        RoutingContext learned = RoutingContext.evaluation();
        mom.forward(x, null, learned);
        assertEquals(1.0, java.util.Arrays.stream(MoM.tokenShare(learned.recorder().of(mom))).sum(), 1e-9);
        assertEquals(2, MoM.selection(learned.recorder().of(mom))[3].length);
        // Each pass keeps its own routing: the later learned pass did not overwrite what the forced one recorded.
        assertEquals(5 / 8.0, MoM.tokenShare(forced.recorder().of(mom))[0], 1e-12);
        assertTrue(mom.balanceLoss(learned).item() > 0f, "a learned pass has a balance loss");
    }

    @Test
    void singleKvProjectionSharesTheWriteWeights() {
        MoM split = small().build(), single = small().singleKvProj(true).build();
        assertSame(single.memory(0), single.memory(3));
        assertTrue(single.numParameters() < split.numParameters());
        assertEquals(D, single.forward(input(8, 1, 4)).size(2));
    }

    @Test
    void builderErrorsNameTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> small().memories(2).topK(3).build()).getMessage().contains("topK must be <= memories"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MoM.builder().dModel(10).heads(3).build()).getMessage().contains("heads must divide dModel"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MoM.builder().build()).getMessage().contains("dModel is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> small().memories(0).build()).getMessage().contains("memories must be >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> small().auxWeight(-1).build()).getMessage().contains("auxWeight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> small().build().forward(Tensor.zeros(1, 3, D + 1))).getMessage().contains("last dimension"));
    }

    @Test
    void aRouterOnTheShortConvSeesEarlierTokensAndChangesNoOtherWeight() {
        MoM paper = small().memories(4).topK(2).build();
        MoM conv = small().memories(4).topK(2).routerInput(MoM.RouterInput.SHORT_CONV).build();
        var before = paper.namedParameters();
        var after = conv.namedParameters();
        assertEquals(before.size() + 1, after.size(), "one more parameter: the router's conv filters");
        before.forEach((name, p) -> assertArrayEquals(p.toFloatArray(), after.get(name).toFloatArray(), 0f, name + " drawn as before"));
        assertTrue(after.containsKey("routerConv.weight"));

        // The routing of a token now depends on the token before it: change token 3, token 4's routing may move.
        int t = 8;
        Tensor x = input(9, 1, t);
        RoutingContext a = RoutingContext.evaluation();
        conv.forward(x, null, a);
        Tensor y = Tensor.of(x.toFloatArray(), x.shape());
        for (int i = 0; i < D; i++) y.set(3f * (i % 3 - 1), 0, 3, i);
        RoutingContext b = RoutingContext.evaluation();
        conv.forward(y, null, b);
        float[] la = a.recorder().of(conv).logits().toFloatArray(), lb = b.recorder().of(conv).logits().toFloatArray();
        int m = conv.memories();
        for (int j = 0; j < 3 * m; j++) assertEquals(la[j], lb[j], 0f, "routing before the changed token is unchanged");
        boolean moved = false;
        for (int j = 4 * m; j < 5 * m; j++) moved |= la[j] != lb[j];
        assertTrue(moved, "the next token's router logits see the changed token");
        RoutingContext c = RoutingContext.evaluation();
        paper.forward(y, null, c);
        float[] lc = c.recorder().of(paper).logits().toFloatArray();
        RoutingContext d0 = RoutingContext.evaluation();
        paper.forward(x, null, d0);
        float[] ld = d0.recorder().of(paper).logits().toFloatArray();
        for (int j = 4 * m; j < 5 * m; j++) assertEquals(ld[j], lc[j], 0f, "the paper's router reads only its own token");
    }

    @Test
    void aRouterOnTheShortConvDecodesAsItTrainsAndHasGradients() {
        MoM mom = small().memories(4).topK(2).routerInput(MoM.RouterInput.SHORT_CONV).build();
        assertDecodesAsItTrains(mom, "router on the short conv");
        Tensor xg = input(6, 2, 5).requiresGrad(true);
        List<Tensor> checked = new ArrayList<>(List.of(xg));
        mom.namedParameters().forEach((name, p) -> { if (name.startsWith("router")) checked.add(p); });
        GradCheck.Report rep = GradCheck.check(() -> {
            RoutingContext pass = RoutingContext.evaluation();
            return mom.forward(xg, null, pass).add(mom.balanceLoss(pass));
        }, checked, 2e-3, 40, 3);
        assertTrue(rep.passes(3e-2), rep.toString());
    }
}
