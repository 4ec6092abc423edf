package org.moelab.viz;

/**
 * Exponential moving average used to smooth noisy training curves, in TensorBoard's debiased form:
 *
 * <pre>
 *   m_t = w · m_{t-1} + (1 − w) · y_t,   m_{-1} = 0
 *   s_t = m_t / (1 − w^(n_t))            n_t = number of finite values seen up to t
 * </pre>
 *
 * The division removes the bias towards zero from the start value, so s_0 = y_0 and early points are a plain
 * weighted mean of what has been seen (an EMA started at y_0 instead would over-weight the first, noisiest step).
 * Non-finite values (a diverged step) are passed through unchanged and do not enter the average. {@code w = 0} is no
 * smoothing; {@code w = 0.9} averages over roughly the last 10 points.
 */
public final class Smoothing {
    private Smoothing() {}

    public static double[] ema(double[] y, double weight) {
        if (!(weight >= 0 && weight < 1)) throw new IllegalArgumentException("Smoothing: weight must be in [0, 1), got " + weight);
        double[] smoothed = new double[y.length];
        double average = 0;
        double decay = 1;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                smoothed[i] = y[i];
                continue;
            }
            average = weight * average + (1 - weight) * y[i];
            decay *= weight;
            smoothed[i] = average / (1 - decay);
        }
        return smoothed;
    }
}
