package org.moelab.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.moelab.tensor.Rng;

/**
 * Cuts next-character windows out of a corpus's spans. A window never crosses a span boundary, so a training
 * window never reads validation text and the reverse.
 */
final class Windows {
    private Windows() {}

    static void checkBatchSize(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }

    static void checkContext(int context, List<Span> spans, String splitName, boolean everySpan) {
        // A window reads context + 1 characters (the last one is only a target).
        int usable = (everySpan ? TrainValidationSplit.shortest(spans) : TrainValidationSplit.longest(spans)) - 1;
        if (context < 1 || context > usable) {
            throw new IllegalArgumentException("context must be in [1, " + usable + "] for the " + splitName
                    + " split (its " + (everySpan ? "shortest" : "longest") + " contiguous span has " + (usable + 1)
                    + " chars), got " + context);
        }
    }

    /** Draws windows uniformly over every start position of {@code spans} (each start equally likely). */
    static final class RandomWindows {
        private final int[] ids;
        private final int[] labels;
        private final List<Span> spans;
        private final int batchSize;
        private final int context;
        private final long[] cumulativeStarts;

        RandomWindows(int[] ids, int[] labels, List<Span> spans, int batchSize, int context) {
            this.ids = ids;
            this.labels = labels;
            this.spans = spans;
            this.batchSize = batchSize;
            this.context = context;
            this.cumulativeStarts = new long[spans.size()];
            long total = 0;
            for (int s = 0; s < spans.size(); s++) {
                total += Math.max(0, spans.get(s).length() - context);
                cumulativeStarts[s] = total;
            }
        }

        Batch draw(Rng rng) {
            long startCount = cumulativeStarts[cumulativeStarts.length - 1];
            int[] starts = new int[batchSize];
            for (int r = 0; r < batchSize; r++) {
                long pick = (long) (rng.nextDouble() * startCount);
                int s = spanHolding(cumulativeStarts, pick);
                long before = s == 0 ? 0 : cumulativeStarts[s - 1];
                starts[r] = spans.get(s).start() + (int) (pick - before);
            }
            return cut(ids, labels, starts, context);
        }

        Iterator<Batch> endless(Rng rng) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Batch next() {
                    return draw(rng);
                }
            };
        }
    }

    /** Consecutive windows tiling each span (stride = context), grouped into batches; a span's tail shorter than a
     * full window is left out, so every included target is counted exactly once. */
    static List<Batch> tiled(int[] ids, int[] labels, List<Span> spans, int batchSize, int context) {
        List<Integer> allStarts = new ArrayList<>();
        for (Span span : spans) {
            for (int start = span.start(); start + context + 1 <= span.end(); start += context) allStarts.add(start);
        }
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < allStarts.size(); from += batchSize) {
            int rows = Math.min(batchSize, allStarts.size() - from);
            int[] starts = new int[rows];
            for (int r = 0; r < rows; r++) starts[r] = allStarts.get(from + r);
            batches.add(cut(ids, labels, starts, context));
        }
        return List.copyOf(batches);
    }

    private static int spanHolding(long[] cumulativeStarts, long pick) {
        int lo = 0, hi = cumulativeStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeStarts[mid] > pick) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private static Batch cut(int[] ids, int[] labels, int[] starts, int context) {
        int rows = starts.length;
        int[] inputs = new int[rows * context];
        int[] targets = new int[rows * context];
        int[] targetLabels = labels == null ? null : new int[rows * context];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ids, starts[r], inputs, r * context, context);
            System.arraycopy(ids, starts[r] + 1, targets, r * context, context);
            if (labels != null) System.arraycopy(labels, starts[r] + 1, targetLabels, r * context, context);
        }
        return new Batch(rows, context, inputs, targets, targetLabels, starts);
    }
}
