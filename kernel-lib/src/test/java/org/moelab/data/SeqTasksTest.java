package org.moelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.data.SeqTasks.Task;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;

/** SeqTasks: the BOS cue x SEP y EOS format, targets on y only, the answers, determinism and clear errors. */
class SeqTasksTest {
    static int[] digits(int... d) {
        return d;
    }

    static String answer(Task t, int... d) {
        return SeqTasks.decode(t.answer(d));
    }

    @Test
    void answersOfEveryTask() {
        int[] d = digits(3, 1, 4, 1, 5);
        assertEquals("3 1 4 1 5", answer(Task.COPY, d));
        assertEquals("5 1 4 1 3", answer(Task.REV, d));
        assertEquals("1 1 3 4 5", answer(Task.SORT, d));
        assertEquals("4 2 5 2 6", answer(Task.INC, d));
        assertEquals("0 1 2", answer(Task.INC, 9, 0, 1));
        assertEquals("a h c", answer(Task.CIPHER, 3, 0, 1));   // key 3→0 (a), 0→7 (h), 1→2 (c)
        assertEquals("3 1 4 5", answer(Task.DEDUP, d));
        assertEquals("4", answer(Task.SUM, d));                 // 14 mod 10
    }

    @Test
    void formatAndTargetsOnTheAnswerOnly() {
        SeqTasks tasks = SeqTasks.builder().build();
        assertEquals(1 + 1 + 8 + 1 + 8 + 1, tasks.length());
        SeqTasks.Batch b = tasks.generate(64, new Rng(1));
        for (int r = 0; r < b.rows(); r++) {
            Task task = tasks.tasks().get(b.tasks()[r]);
            assertEquals(SeqTasks.BOS, b.input(r, 0));
            assertEquals(task.cueToken(), b.input(r, 1));
            int sep = b.answerStart()[r], m = b.answerLength()[r];
            assertEquals(SeqTasks.SEP, b.input(r, sep));
            int n = sep - 2;
            assertTrue(n >= 5 && n <= 8, "digits " + n);
            int[] x = new int[n];
            for (int i = 0; i < n; i++) x[i] = b.input(r, 2 + i) - SeqTasks.FIRST_DIGIT;
            int[] y = task.answer(x);
            assertArrayEquals(y, b.answer(r));
            assertEquals(SeqTasks.EOS, b.input(r, sep + m + 1));
            for (int t = 0; t < b.length(); t++) {
                boolean labelled = t >= sep && t < sep + m;
                if (labelled) {
                    assertEquals(b.input(r, t + 1), b.target(r, t), "target = next input token at " + t);
                } else {
                    assertEquals(Losses.IGNORE_INDEX, b.target(r, t), "row " + r + " position " + t);
                }
                if (t > sep + m + 1) assertEquals(SeqTasks.PAD, b.input(r, t));
            }
        }
        String row = SeqTasks.decode(java.util.Arrays.copyOfRange(b.inputs(), 0, b.length()));
        assertTrue(row.startsWith("<bos> <" + tasks.tasks().get(b.tasks()[0]) + ">") && row.endsWith("<eos>"), row);
    }

    @Test
    void everyTaskAppearsAndTaskLabelsCanBeChosen() {
        SeqTasks tasks = SeqTasks.builder().build();
        int[] count = new int[4];
        for (int t : tasks.generate(400, new Rng(2)).tasks()) count[t]++;
        for (int c : count) assertTrue(c > 60, java.util.Arrays.toString(count));
        SeqTasks.Batch only = tasks.generate(new int[] {2, 2, 2}, new Rng(3));
        assertArrayEquals(new int[] {2, 2, 2}, only.tasks());
        for (int r = 0; r < 3; r++) assertEquals(Task.INC.cueToken(), only.input(r, 1));
        int[] perPosition = only.taskPerPosition();
        assertEquals(3 * tasks.length(), perPosition.length);
        for (int v : perPosition) assertEquals(2, v);
    }

    @Test
    void seededGenerationIsDeterministic() {
        SeqTasks tasks = SeqTasks.builder().tasks(Task.values()).build();
        SeqTasks.Batch a = tasks.generate(50, new Rng(7)), b = tasks.generate(50, new Rng(7)), c = tasks.generate(50, new Rng(8));
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(a.targets(), b.targets());
        assertArrayEquals(a.tasks(), b.tasks());
        assertTrue(!java.util.Arrays.equals(a.inputs(), c.inputs()));
    }

    @Test
    void cuelessTasksDifferOnlyByInputLength() {
        SeqTasks tasks = SeqTasks.builder().cues(false).digits(5, 8).build();
        assertEquals(1 + 8 + 1 + 8 + 1, tasks.length());
        SeqTasks.Batch b = tasks.generate(40, new Rng(4));
        for (int r = 0; r < b.rows(); r++) {
            assertEquals(SeqTasks.BOS, b.input(r, 0));
            int n = b.answerStart()[r] - 1;
            assertEquals(5 + b.tasks()[r], n);
            for (int i = 1; i <= n; i++) {
                int tok = b.input(r, i);
                assertTrue(tok >= SeqTasks.FIRST_DIGIT && tok < SeqTasks.FIRST_LETTER, "no cue token, got " + SeqTasks.tokenName(tok));
            }
        }
    }

    @Test
    void badParametersFailClearly() {
        assertMessage(() -> SeqTasks.builder().tasks().build(), "tasks must not be empty");
        assertMessage(() -> SeqTasks.builder().tasks(Task.REV, Task.REV).build(), "REV is listed twice");
        assertMessage(() -> SeqTasks.builder().digits(0, 4).build(), "minDigits must be >= 1");
        assertMessage(() -> SeqTasks.builder().digits(6, 5).build(), "maxDigits (5) must be >= minDigits (6)");
        assertMessage(() -> SeqTasks.builder().cues(false).digits(5, 6).build(), "needs its own input length");
        SeqTasks tasks = SeqTasks.builder().build();
        assertMessage(() -> tasks.generate(-1, new Rng(1)), "rows must be >= 0");
        assertMessage(() -> tasks.generate(new int[] {0, 4}, new Rng(1)), "task index 4 at row 1 must be in [0, 4)");
        assertMessage(() -> SeqTasks.tokenName(SeqTasks.VOCAB), "outside the vocabulary");
    }

    private static void assertMessage(Runnable r, String expected) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith("SeqTasks") && e.getMessage().contains(expected), e.getMessage());
    }
}
