package org.moelab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.data.MixLm4;
import org.moelab.nn.Module;
import org.moelab.train.StepSchedule;

/** A built model keeps its own copy of the builder: mutating the builder after build() changes nothing in it. */
class BuilderCopyTest {

    @Test
    void smoeDropoutIgnoresItsBuilderAfterBuild() {
        SmoeDropout.Builder b = SmoeDropoutTest.small();
        SmoeDropout model = b.build();
        Map<String, String> described = model.describe();
        float[] weights = firstParameter(model.module());
        int k50 = model.kAt(50), k100 = model.kAt(100);
        b.arm(SmoeDropout.Arm.DENSE).experts(2).hidden(64).kMin(2).fixedK(1).scheduleSteps(7).schedule(StepSchedule.Shape.COSINE)
                .dropout(0.5f).balanceWeight(1f).seed(99);
        assertEquals(described, model.describe());
        assertEquals(SmoeDropout.Arm.SMOE_DROPOUT, model.arm());
        assertEquals(4, model.experts());
        assertEquals(k50, model.kAt(50));
        assertEquals(k100, model.kAt(100));
        assertArrayEquals(weights, firstParameter(model.module()));
    }

    @Test
    void evoMoeIgnoresItsBuilderAfterBuild() {
        EvoMoE.Builder b = EvoMoE.builder().vocab(MixLm4.VOCAB).context(MixLm4.LENGTH).dModel(16).heads(2).layers(1).experts(4)
                .hidden(16).totalSteps(100).phaseA(0.3f).sparse(0.4f).seed(5);
        EvoMoE model = b.build();
        Map<String, String> described = model.describe();
        String phase = model.phaseAt(50);
        double tau = model.temperatureAt(50);
        b.arm(EvoMoE.Arm.SWITCH).spawn(EvoMoE.Spawn.COPY).experts(8).totalSteps(10).phaseA(0.5f).sparse(0.2f).temperatures(9f, 1f)
                .maskRatio(0.1f).balanceWeight(1f).seed(1);
        assertEquals(described, model.describe());
        assertEquals(EvoMoE.Arm.EVOMOE, model.arm());
        assertEquals(4, model.experts());
        assertEquals(phase, model.phaseAt(50));
        assertEquals(tau, model.temperatureAt(50));
        model.spawn(null); // spawning reads the mask ratio and spawn mode: still the built ones
        assertEquals(described, model.describe());
    }

    @Test
    void proMoeIgnoresItsBuilderAfterBuild() {
        ProMoE.Builder b = ProMoE.builder().dModel(16).depth(2).heads(2).routedExperts(2).frequencyDim(8).seed(3);
        ProMoE model = b.build();
        Map<String, String> described = model.describe();
        String shown = model.toString();
        b.arm(ProMoE.Arm.TOKEN_CHOICE).contrastive(true).conditional(true).routedExperts(4).rclWeight(3f).labelDropout(0.5f)
                .balanceWeight(0.2f).seed(4);
        assertEquals(described, model.describe());
        assertEquals(shown, model.toString());
        assertEquals(ProMoE.Arm.PROTOTYPE, model.arm());
        assertEquals(2, model.routedExperts());
    }

    private static float[] firstParameter(Module m) {
        return m.parameters().get(0).toFloatArray();
    }
}
