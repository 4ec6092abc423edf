package org.moelab.sweep;

import java.util.Objects;

/**
 * One pre-registered verdict rule of a paper's second-round plan (its page's "Plan — second round" section), made
 * executable: the paired difference {@code D = metric(arm) − baselineMetric(baseline)} per seed, its 95% t-interval
 * over the seeds both arms have, and a {@link Decision} read off that interval with the thresholds the plan fixed
 * before the runs. {@link PlanVerdicts} holds each paper's rules and evaluates them on a sweep's points.
 *
 * @param id             the rule's number or name on the paper's page ("1", "ablation")
 * @param claim          what the rule decides, in the page's words
 * @param arm            the arm whose metric is the minuend
 * @param metric         its metric (an exact name of the sweep's metrics)
 * @param baseline       the arm whose metric is subtracted (may equal {@code arm}, comparing two metrics of one run)
 * @param baselineMetric the baseline's metric
 * @param decision       the verdict as a function of the interval
 */
public record PlanRule(String id, String claim, String arm, String metric, String baseline, String baselineMetric, Decision decision) {
    public static final String HOLDS = "holds", DOES_NOT_HOLD = "does not hold", UNDECIDED = "undecided", REPORTED = "reported (no verdict)",
            HOLDS_WITHIN_MARGIN = "holds (within the margin, though the difference itself is above 0)";

    public PlanRule {
        Objects.requireNonNull(decision, "decision");
    }

    /** The verdict read off the 95% interval {@code [low, high]} of the paired difference, and the rule in words. */
    public interface Decision {
        String decide(double low, double high);

        String text();
    }

    /**
     * Holds if the whole interval is at or below {@code holdsAtMost}; does not hold if it lies above {@code failsAbove}.
     * With a non-inferiority margin ({@code holdsAtMost > failsAbove}) both can be true; the plans state "holds" first,
     * so it holds, and the verdict says that the difference is nonetheless above {@code failsAbove}.
     */
    public static Decision atMost(double holdsAtMost, double failsAbove) {
        return decision("holds if CI high ≤ " + holdsAtMost + ", does not hold if CI low > " + failsAbove,
                (low, high) -> high <= holdsAtMost ? (low > failsAbove ? HOLDS_WITHIN_MARGIN : HOLDS) : low > failsAbove ? DOES_NOT_HOLD : UNDECIDED);
    }

    /** Holds if the whole interval lies above {@code holdsAbove}; does not hold if it lies below {@code failsBelow}. */
    public static Decision above(double holdsAbove, double failsBelow, String otherwise) {
        return decision("holds if CI low > " + holdsAbove + ", does not hold if CI high < " + failsBelow + ", else " + otherwise,
                (low, high) -> low > holdsAbove ? HOLDS : high < failsBelow ? DOES_NOT_HOLD : otherwise);
    }

    /** A difference called by its sign only when the interval excludes 0: {@code below} (D < 0) or {@code aboveWord} (D > 0). */
    public static Decision sign(String below, String aboveWord) {
        return decision(below + " if CI < 0, " + aboveWord + " if CI > 0, else no difference detected",
                (low, high) -> high < 0 ? below : low > 0 ? aboveWord : "no difference detected");
    }

    /** Reported with its interval, no verdict (the plan's ablations). */
    public static Decision reported() {
        return decision("reported, no verdict", (low, high) -> REPORTED);
    }

    private interface Call {
        String apply(double low, double high);
    }

    private static Decision decision(String text, Call call) {
        return new Decision() {
            @Override
            public String decide(double low, double high) {
                return call.apply(low, high);
            }

            @Override
            public String text() {
                return text;
            }
        };
    }
}
