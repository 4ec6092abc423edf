package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's guard: Gated DeltaNet with fla's init leaves MQAR's "any value" plateau on a tiny recall task within a
 * few hundred steps. Tiny regime: V 64, T 32, P ∈ {2, 4, 6}, d 32, two blocks, 2 heads × d_k 8, 400 steps of 32,
 * lr 3e-3, seed 1 (chance at P = 4: 1/32).
 *
 * <p>Measured (2026-12-03, seed 1, one thread): GDN with fla's init 0.307 at P = 4 (final loss 2.68); with the old
 * PyTorch-default init ({@code gdnInitStd = 0}) 0.029, chance, final loss 3.49 = the plateau. At lr 1e-2: 0.205 vs
 * 0.084, and linear attention 0.805. The thresholds (0.15, loss 3.2) sit between the two inits, so the test fails if
 * the layer goes back to an init under which it stays on the plateau. (Linear attention is not run here to keep the
 * test short; the gap that remains to it at lr 1e-2 is documented in papers/mom.md.)
 */
class GatedDeltaNetRecallTest {
    static MomSettings tiny(MomExperiment.Arm arm) {
        return new MomSettings(64, 32, new int[] {2, 4, 6}, new int[] {4}, 32, 2, 2, 8, 4, 2, 0, 400, 32, 3e-3f, 128,
                List.of(1L), List.of(arm), org.moelab.models.MoM.RouterInput.HIDDEN);
    }

    @Test
    void gatedDeltaNetLeavesThePlateauOnATinyRecallTask() {
        MomExperiment.ArmResult gdn = new MomExperiment(tiny(MomExperiment.Arm.GATED_DELTANET)).runArm(MomExperiment.Arm.GATED_DELTANET, 1L);
        assertTrue(gdn.accuracyAt(4) >= 0.15, "GDN query accuracy at P = 4: " + gdn.accuracyAt(4) + " (old init: 0.029, fla init: 0.307)");
        assertTrue(gdn.finalLoss() < 3.2, "GDN final loss " + gdn.finalLoss() + " (plateau: ln 32 = 3.47; fla init 2.68)");
    }
}
