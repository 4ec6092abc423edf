package org.moelab.moe;

import java.util.Arrays;

/**
 * Which token goes to which expert: a flat list of (token, expert) pairs, one per routed slot. Token-choice
 * top-k gives k pairs per token; expert-choice and capacity limits give a variable number (a dropped token has
 * none, and passes through the residual only). Pairs are kept in routing order; {@link #groupedByExpert()}
 * orders them stably by expert for the dispatch.
 */
public final class Assignments {
    private final int numTokens;
    private final int numExperts;
    private final int[] token;
    private final int[] expert;
    private int[] order;
    private int[] groupStart;

    public Assignments(int numTokens, int numExperts, int[] token, int[] expert) {
        if (token.length != expert.length) throw new IllegalArgumentException("Assignments: " + token.length + " tokens but " + expert.length + " experts");
        for (int i = 0; i < token.length; i++) {
            if (token[i] < 0 || token[i] >= numTokens) throw new IllegalArgumentException("Assignments: token " + token[i] + " out of range [0, " + numTokens + ")");
            if (expert[i] < 0 || expert[i] >= numExperts) throw new IllegalArgumentException("Assignments: expert " + expert[i] + " out of range [0, " + numExperts + ")");
        }
        this.numTokens = numTokens;
        this.numExperts = numExperts;
        this.token = token;
        this.expert = expert;
    }

    public int numTokens() {
        return numTokens;
    }

    public int numExperts() {
        return numExperts;
    }

    public int size() {
        return token.length;
    }

    public int token(int pair) {
        return token[pair];
    }

    public int expert(int pair) {
        return expert[pair];
    }

    /** Routed slots per expert. */
    public int[] countsPerExpert() {
        int[] c = new int[numExperts];
        for (int e : expert) c[e]++;
        return c;
    }

    /** Tokens that received no expert at all (dropped by capacity, or never picked by expert choice). */
    public int droppedTokens() {
        boolean[] seen = new boolean[numTokens];
        for (int t : token) seen[t] = true;
        int dropped = 0;
        for (boolean s : seen) if (!s) dropped++;
        return dropped;
    }

    /** Whether every token goes to every expert, slots in token-major order (t·E + e): a soft, dense route. */
    public boolean isDense() {
        if (token.length != numTokens * numExperts) return false;
        for (int i = 0; i < token.length; i++) if (token[i] != i / numExperts || expert[i] != i % numExperts) return false;
        return true;
    }

    /** Pair indices ordered by expert (stable, so token order is kept within an expert). */
    int[] groupedByExpert() {
        if (order == null) group();
        return order;
    }

    /** Start of expert e's run in {@link #groupedByExpert()}; index numExperts is the end. */
    int[] groupStarts() {
        if (order == null) group();
        return groupStart;
    }

    private void group() {
        int[] start = new int[numExperts + 1];
        for (int e : expert) start[e + 1]++;
        for (int e = 0; e < numExperts; e++) start[e + 1] += start[e];
        int[] next = Arrays.copyOf(start, numExperts);
        int[] o = new int[token.length];
        for (int i = 0; i < token.length; i++) o[next[expert[i]]++] = i;
        groupStart = start;
        order = o;
    }
}
