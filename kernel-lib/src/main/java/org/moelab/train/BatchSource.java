package org.moelab.train;

import java.util.Iterator;

/**
 * The batch for a given step. Keyed by step (not an iterator) so that resuming from a checkpoint at step s
 * continues with exactly the batches an uninterrupted run would have seen.
 */
@FunctionalInterface
public interface BatchSource<B> {
    B batch(long step);

    /** Adapts an endless iterator (resuming then continues the iterator, not the original order). */
    static <B> BatchSource<B> of(Iterator<B> batches) {
        return step -> {
            if (!batches.hasNext()) throw new IllegalStateException("BatchSource: the batch iterator ran out at step " + step);
            return batches.next();
        };
    }
}
