package org.moelab.experiments;

/**
 * One arm of one seed of the LoRA-Mixer study.
 *
 * @param routerN         router training examples (0: the arm has no router stage)
 * @param trainable       parameters the arm's last stage trained (stage 2: the routers only)
 * @param added           parameters added to the frozen base at inference (adapters + routers)
 */
public record LoraMixerArmResult(String arm, long seed, int routerN, LoraMixerScores scores, long trainable, long added, double seconds) {

    static LoraMixerArmResult of(String arm, long seed, int routerN, LoraMixerScores scores, long trainable, long added, double seconds) {
        return new LoraMixerArmResult(arm, seed, routerN, scores, trainable, added, seconds);
    }
}
