package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moelab.lab.Interrupts;
import org.moelab.nn.Linear;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

class TrainerTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearInterrupt() {
        Interrupts.clear();
    }

    /** A linear regression problem whose batch depends only on the step. */
    record Problem(Linear model, BatchSource<Tensor[]> batches, Objective<Tensor[]> objective) {}

    static Problem problem(long seed) {
        Linear model = new Linear(4, 2, new Rng(seed));
        Tensor trueW = Tensor.randn(new Rng(99), 4, 2);
        BatchSource<Tensor[]> batches = step -> {
            Tensor x = Tensor.randn(new Rng(1000 + step), 16, 4);
            return new Tensor[] {x, x.matmul(trueW)};
        };
        Objective<Tensor[]> objective = (b, ctx) -> Losses.mse(model.forward(b[0]), b[1]);
        return new Problem(model, batches, objective);
    }

    static Trainer.Builder<Tensor[]> trainer(Problem p) {
        return Trainer.builder(p.model(), p.batches(), p.objective()).progress(false).seed(5)
                .optimizer(AdamW.builder(p.model()).learningRate(0.05f).build());
    }

    @Test
    void trainsAndRecordsHistoryAndEvaluations() {
        Problem p = problem(1);
        AtomicInteger hookCalls = new AtomicInteger();
        Run run = trainer(p).steps(200).beforeEachStep(s -> hookCalls.incrementAndGet())
                .evaluate(50, () -> Map.of("w0", (double) p.model().weight().data()[0])).fit();
        assertEquals(RunStatus.COMPLETED, run.status());
        assertEquals(200, run.history().steps().size());
        assertEquals(4, run.history().evaluations().size());
        assertEquals(200, hookCalls.get());
        assertTrue(run.history().recentLoss(10) < 0.05 * run.history().losses()[0], run.toString());
    }

    @Test
    void divergenceStopsAndRestoresTheLastParametersWithAFiniteLoss() {
        Problem p = problem(2);
        float[][] beforeBadStep = new float[1][];
        Objective<Tensor[]> poisoned = (b, ctx) -> {
            if (ctx.step() == 30) beforeBadStep[0] = p.model().weight().toFloatArray();
            if (ctx.step() == 31) return Tensor.scalar(Float.NaN);
            return p.objective().loss(b, ctx);
        };
        Run run = Trainer.builder(p.model(), p.batches(), poisoned).progress(false).steps(100).fit();
        assertEquals(RunStatus.DIVERGED, run.status());
        assertTrue(run.message().contains("step 31"), run.message());
        assertEquals(31, run.stepsDone());
        assertArrayEquals(beforeBadStep[0], p.model().weight().toFloatArray());
    }

    @Test
    void interruptStopsBetweenStepsAndKeepsTheTrainedModel() {
        Problem p = problem(3);
        Run run = trainer(p).steps(1000).beforeEachStep(s -> {
            if (s == 40) Interrupts.request();
        }).fit();
        assertEquals(RunStatus.INTERRUPTED, run.status());
        assertEquals(41, run.stepsDone());
        assertTrue(run.history().recentLoss(5) < run.history().losses()[0]);
    }

    @Test
    void anExceptionInTheObjectiveKeepsTheParametersAndTheHistory() {
        Problem p = problem(4);
        float[][] atFailure = new float[1][];
        Objective<Tensor[]> failing = (b, ctx) -> {
            if (ctx.step() == 10) {
                atFailure[0] = p.model().weight().toFloatArray();
                throw new IllegalStateException("boom");
            }
            return p.objective().loss(b, ctx);
        };
        TrainingFailedException e = assertThrows(TrainingFailedException.class,
                () -> Trainer.builder(p.model(), p.batches(), failing).progress(false).steps(50).fit());
        assertTrue(e.getMessage().contains("boom") && e.getMessage().contains("step 10"), e.getMessage());
        assertEquals(10, e.partialRun().history().steps().size());
        assertArrayEquals(atFailure[0], p.model().weight().toFloatArray());
    }

    @Test
    void checkpointRoundTripGivesTheIdenticalNextStepLoss() {
        Path ckpt = dir.resolve("run/ckpt.bin");
        Problem a = problem(6);
        AdamW optimizerA = AdamW.builder(a.model()).learningRate(0.05f).build();
        trainer(a).optimizer(optimizerA).steps(40).checkpoint(ckpt, 40).fit();
        Run continued = trainer(a).optimizer(optimizerA).steps(41).startStep(40).fit();

        Problem b = problem(7);
        AdamW optimizer = AdamW.builder(b.model()).learningRate(0.05f).build();
        Checkpoint loaded = Checkpoint.load(ckpt);
        assertEquals(40, loaded.step());
        loaded.restoreInto(b.model(), optimizer);
        Run resumed = Trainer.builder(b.model(), b.batches(), b.objective()).progress(false).seed(5).optimizer(optimizer)
                .steps(41).startStep(loaded.step()).fit();
        assertEquals(continued.history().losses()[0], resumed.history().losses()[0]);
        assertArrayEquals(a.model().weight().toFloatArray(), b.model().weight().toFloatArray());
    }

    @Test
    void truncatedOrMismatchedCheckpointsFailCleanlyAndOverwriteNothing() throws Exception {
        Path ckpt = dir.resolve("ckpt.bin");
        Problem a = problem(8);
        trainer(a).steps(5).checkpoint(ckpt, 5).fit();
        byte[] bytes = Files.readAllBytes(ckpt);
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(truncated));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("truncated.bin"), e.getMessage());

        Linear other = new Linear(4, 3, new Rng(1));
        AdamW otherOpt = AdamW.builder(other).learningRate(0.1f).build();
        float[] before = other.weight().toFloatArray();
        Checkpoint good = Checkpoint.load(ckpt);
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> good.restoreInto(other, otherOpt));
        assertTrue(mismatch.getMessage().contains("weight"), mismatch.getMessage());
        assertArrayEquals(before, other.weight().toFloatArray());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(dir.resolve("nope.bin")));
        assertTrue(missing.getMessage().contains("nope.bin"), missing.getMessage());
    }

    @Test
    void aCraftedCheckpointClaimingHugeArraysFailsWithAClearError() throws Exception {
        // A well-formed header with a valid CRC whose one array claims 2^29 floats (2 GiB; len * 4 overflows int).
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(body);
        out.writeLong(0x4D6F454C61624350L);
        out.writeInt(1);
        out.writeLong(7);
        out.writeInt(0);
        out.writeBoolean(false);
        out.writeInt(1);
        out.writeUTF("weight");
        out.writeInt(1 << 29);
        out.writeFloat(1f);
        out.flush();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.toByteArray());
        out.writeLong(crc.getValue());
        Path crafted = dir.resolve("crafted.bin");
        Files.write(crafted, body.toByteArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(crafted));
        assertTrue(e.getMessage().contains("crafted.bin") && e.getMessage().contains("'weight' claims 536870912 floats"),
                e.getMessage());
    }

    @Test
    void aCheckpointPathThatCannotBeWrittenFailsBeforeTraining() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Problem p = problem(9);
        float[] before = p.model().weight().toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(p).steps(5).checkpoint(file.resolve("ckpt.bin"), 1));
        assertTrue(e.getMessage().contains("a-file"), e.getMessage());
        assertArrayEquals(before, p.model().weight().toFloatArray());
    }

    @Test
    void sameSeedSameNumbers() {
        Run r1 = trainer(problem(10)).steps(30).fit();
        Run r2 = trainer(problem(10)).steps(30).fit();
        assertArrayEquals(r1.history().losses(), r2.history().losses());
    }
}
