package org.moelab.train;

import org.moelab.nn.Require;

/**
 * A hyper-parameter as a function of the training step, recomputed every step: SMoE-Dropout's number of active
 * experts k, EvoMoE's Gumbel temperature. The increase shapes are the reference code's
 * ({@code calculate_gate_number} in SMoE-Dropout's {@code new_utils.py}), with T_s the schedule length:
 * <pre>
 *   linear      v = from + (to − from)·s/T_s
 *   cosine      v = to + (from − to)·cos(π·s/(2T_s))           (slow start, fast end)
 *   exponential v = to + (from − to)·0.99^(s div (T_s/300))    (fast start)
 * </pre>
 * After T_s the value stays at {@code to}.
 */
@FunctionalInterface
public interface StepSchedule {
    double at(long step);

    /** The shapes a schedule can take. */
    enum Shape { CONSTANT, LINEAR, COSINE, EXPONENTIAL }

    static StepSchedule of(Shape shape, double from, double to, long steps) {
        Require.notNull("StepSchedule", "shape (CONSTANT, LINEAR, COSINE or EXPONENTIAL)", shape);
        if (steps < 1) throw new IllegalArgumentException("StepSchedule: steps must be >= 1, got " + steps);
        return switch (shape) {
            case CONSTANT -> s -> from;
            case LINEAR -> s -> from + (to - from) * Math.min(1.0, Math.max(0, s) / (double) steps);
            case COSINE -> s -> to + (from - to) * StrictMath.cos(Math.PI * Math.min(1.0, Math.max(0, s) / (double) steps) / 2);
            case EXPONENTIAL -> {
                long period = Math.max(1, steps / 300);
                yield s -> s >= steps ? to : to + (from - to) * StrictMath.pow(0.99, Math.max(0, s) / period);
            }
        };
    }

    static StepSchedule linear(double from, double to, long steps) {
        return of(Shape.LINEAR, from, to, steps);
    }

    /**
     * An integer schedule in [min, max], rounded half-to-even like Python's {@code round} (so k = 2.5 → 2, as in
     * the reference), then clipped.
     */
    static java.util.function.LongToIntFunction rounded(StepSchedule schedule, int min, int max) {
        if (min > max) throw new IllegalArgumentException("StepSchedule.rounded: min (" + min + ") must be <= max (" + max + ")");
        return s -> (int) Math.max(min, Math.min(max, Math.rint(schedule.at(s))));
    }
}
