package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.lab.Preset;

/** {@code %%moe} for every model: keys from the declared settings, the router × model matrix, bad input, bits. */
class MoeCellTest {
    /** Settings that make each model train a couple of steps and evaluate on a handful of examples. */
    static final Map<String, String> TINY = Map.of(
            "lm", "experts: 4\nk: 2\nhidden: 32\ndModel: 16\nheads: 2\nlayers: 1\ncontext: 16\nbatch: 4\nsteps: 2",
            "mom", "steps: 2\nbatch: 4\nevalRows: 8\ndModel: 16",
            "smoe-dropout", "steps: 2\nbatch: 2\ncontext: 16\ndModel: 16\nhidden: 32\nexperts: 4\nvalidationBatches: 1",
            "evomoe", "steps: 2\nbatch: 2\nwarmup: 0\nevalEvery: 1\nvalidationSequences: 8\ndModel: 16\nhidden: 16",
            "lora-mixer", "stage1Steps: 2\nrouterSteps: 2\nstage1Examples: 16\nrouterSizes: 8\ntestPerTask: 2\nbatch: 4\nrank: 2",
            "promoe", "steps: 2\nbatch: 4\nsamples: 10\nrealImages: 10\nprobePerClass: 1\nevalEvery: 1\neulerSteps: 2\nguidances: 1.0");

    @Test
    void everyRouterModelPairEitherTrainsAStepOrIsRejectedNamingThePair() {
        int trained = 0, rejected = 0;
        for (String model : MoeCell.MODELS) {
            for (String router : MoeCell.ROUTER_NAMES) {
                String body = "model: " + model + "\nrouter: " + router + "\n" + TINY.get(model);
                if (MoeCell.routers(model).contains(router)) {
                    MoeRun run = MoeCell.run(body);
                    assertEquals(model, run.model());
                    assertFalse(run.report().tableNames().isEmpty(), model + " × " + router);
                    if (!model.equals("lora-mixer")) assertTrue(run.run().stepsDone() >= 1, model + " × " + router + " trained no step");
                    trained++;
                } else {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoeCell.validate(body), model + " × " + router);
                    assertTrue(e.getMessage().contains("router '" + router + "' does not fit model '" + model + "'") && e.getMessage().contains("fits "), e.getMessage());
                    rejected++;
                }
            }
        }
        assertTrue(trained >= 23 && rejected >= 30, trained + " trained, " + rejected + " rejected");
    }

    @Test
    void theSmallestStepCountEachModelAllowsTrains() {
        for (String model : MoeCell.MODELS) {
            int least = model.equals("evomoe") ? 2 : 1; // EvoMoE's phases need two steps: its range is 2..100000
            String body = "model: " + model + "\n" + TINY.get(model).replaceAll("(?m)^(steps|stage1Steps|routerSteps): .*$", "$1: " + least);
            MoeRun run = MoeCell.run(body);
            assertFalse(run.report().tableNames().isEmpty(), model);
            if (!model.equals("lora-mixer")) assertEquals(least, run.run().stepsDone(), model);
            if (least > 1) assertMessage("model: " + model + "\n" + body.replace("steps: " + least, "steps: " + (least - 1)), "steps", "outside its range");
        }
    }

    @Test
    void aRouterThatNeedsWhatTheModelLacksIsRefusedSayingWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoeCell.run("model: lm\nrouter: conditional+prototype\n" + TINY.get("lm")));
        assertTrue(e.getMessage().contains("router 'conditional+prototype' does not fit model 'lm': it routes by class label")
                && e.getMessage().contains("fits [promoe]"), e.getMessage());
    }

    @Test
    void aPaperCellIsThatExperimentsArmForOneSeedAtTheQuickPresetWithTheCellsKeys() {
        ExperimentSpec spec = MoeCell.spec("model: EvoMoE\nrouter: dts\nseed: 7\nsteps: 40\nlearningrate: 0.01");
        ExperimentSpec expected = Papers.spec("evomoe", Preset.QUICK).with("steps", "40").with("learningRate", "0.01")
                .with(ExperimentSpec.SEEDS, "7").with(ExperimentSpec.ARMS, "EVOMOE");
        assertEquals(expected.contentHash(), spec.contentHash(), "a cell names the same run as the sweep point with these values");
        assertEquals("SWITCH", MoeCell.spec("model: evomoe\nrouter: switch").settings().get(ExperimentSpec.ARMS));
        assertEquals("COPY_DTS", MoeCell.spec("model: evomoe\narm: copy-dts").settings().get(ExperimentSpec.ARMS));
        assertEquals("EVOMOE", MoeCell.spec("model: evomoe").settings().get(ExperimentSpec.ARMS), "the paper's own arm by default");
    }

    @Test
    void eachPapersQuickCellNamesItsOwnMethod() {
        for (String paper : MoeCell.MODELS) {
            if (paper.equals("lm")) continue;
            ExperimentSpec spec = MoeCell.spec(MoeCell.quickCell(paper));
            assertEquals(Papers.headline(paper).orElseThrow().arm(), spec.settings().get(ExperimentSpec.ARMS), paper);
        }
    }

    @Test
    void anInterruptedPaperModelReturnsAtOnceWithWhatItTrainedAndItsReport() {
        Map<String, String> longRuns = Map.of("mom", "steps: 100000", "smoe-dropout", "steps: 100000", "evomoe", "steps: 100000\nevalEvery: 5",
                "promoe", "steps: 100000", "lora-mixer", "stage1Steps: 100000");
        for (String model : longRuns.keySet()) {
            int[] polls = {0};
            // the trainer asks before every step: "interrupt" at its 12th question, as the kernel's button would
            try (var scope = org.moelab.lab.Interrupts.watching(() -> ++polls[0] > 12)) {
                MoeRun run = MoeCell.run("model: " + model + "\n" + TINY.get(model).replaceAll("(?m)^(steps|stage1Steps|evalEvery): .*$", "") + "\n" + longRuns.get(model));
                assertFalse(run.report().tableNames().isEmpty(), model + ": a report of what there is");
                if (!model.equals("lora-mixer")) {
                    assertEquals(org.moelab.train.RunStatus.INTERRUPTED, run.run().status(), model);
                    assertTrue(run.run().stepsDone() > 0 && run.run().stepsDone() < 100, model + " " + run.run().stepsDone());
                    assertTrue(run.trainedModel() != null, model + " keeps its trained model");
                }
            }
        }
    }

    @Test
    void theSameCellTwiceGivesTheSameBits() {
        String body = "model: smoe-dropout\nseed: 5\n" + TINY.get("smoe-dropout");
        MoeRun a = MoeCell.run(body), b = MoeCell.run(body);
        assertTrue(java.util.Arrays.equals(a.report().table("runs").column("valid BPC"), b.report().table("runs").column("valid BPC")));
        assertEquals(a.run().history().losses().length, 2);
        assertTrue(java.util.Arrays.equals(a.run().history().losses(), b.run().history().losses()));
        assertEquals("5", a.config().get("seed"));
        assertEquals("SMOE_DROPOUT", a.config().get("arm"));
    }

    @Test
    void badInputFailsBeforeAnythingTrainsNamingTheKeyAndWhatIsAllowed() {
        assertMessage("model: transformer", "model = 'transformer' must be one of lm | mom | smoe-dropout | evomoe | lora-mixer | promoe");
        assertMessage("model: promoe\nexpertz: 4", "unknown key 'expertz'", "eulerSteps:");
        assertMessage("model: promoe\nseeds: 1,2", "unknown key 'seeds'", "seed:");
        assertMessage("model: promoe\nsteps: many", "steps", "promoe");
        assertMessage("model: promoe\ndataset: cifar", "dataset", "SHAPES10");
        assertMessage("model: promoe\narm: moe", "arm = 'MOE' must be one of DENSE | TOKEN_CHOICE");
        assertMessage("model: promoe\nrouter: topk\narm: PROMOE", "router 'topk' is arm TOKEN_CHOICE, but arm: says PROMOE");
        assertMessage("model: mom\nrouter: hash", "router 'hash' does not fit model 'mom'", "'hash' fits [evomoe, lm]");
        assertMessage("model: mom\nrouter: magic", "known routers: topk");
        assertMessage("model: mom\nseed: x", "seed = 'x' must be an integer");
        assertMessage("model: mom\nsteps 3", "expected 'key: value'");
    }

    @Test
    void helpListsEveryModelAndEachModelsDeclaredSettings() {
        String all = MoeCell.help();
        for (String m : MoeCell.MODELS) assertTrue(all.contains(m), m);
        for (String m : MoeCell.MODELS) {
            if (m.equals("lm")) continue;
            String help = MoeCell.help(m);
            for (SettingsCodec.Setting s : Papers.settings(m)) {
                if (s.name().equals(ExperimentSpec.SEEDS) || s.name().equals(ExperimentSpec.ARMS)) {
                    assertFalse(help.contains("  " + s.name() + ":"), m + " restricts " + s.name());
                } else {
                    assertTrue(help.contains("  " + s.name() + ":") && !s.description().isBlank(), m + " lists and describes " + s.name());
                }
            }
            for (String router : MoeCell.routers(m)) assertTrue(help.contains(router), m + " " + router);
        }
    }

    private static void assertMessage(String body, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoeCell.spec(body));
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
}
