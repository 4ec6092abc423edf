package org.moelab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validation shared by model state dicts and optimizer state: a checkpoint map against the sizes the receiver
 * expects. All problems are reported in one message, so a user fixes a checkpoint in one round trip.
 */
public final class StateMaps {
    private StateMaps() {}

    /**
     * Throws {@link IllegalArgumentException} naming {@code owner} and listing missing keys, unexpected keys (both only
     * when {@code strict}) and every key whose array length differs from the expected size (with both sizes).
     */
    public static void validate(String owner, Map<String, Integer> expectedSizes, Map<String, float[]> given, boolean strict) {
        if (given == null) throw new IllegalArgumentException(owner + ": state map is null");
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        expectedSizes.forEach((key, size) -> {
            float[] v = given.get(key);
            if (v == null) {
                if (strict || given.containsKey(key)) missing.add(key);
            } else if (v.length != size) {
                mismatched.add(key + " (checkpoint has " + v.length + " values, expected " + size + ")");
            }
        });
        if (strict) for (String key : given.keySet()) if (!expectedSizes.containsKey(key)) unexpected.add(key);
        if (missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty()) return;
        StringBuilder msg = new StringBuilder(owner).append(": state does not match; nothing was loaded.");
        if (!missing.isEmpty()) msg.append(" Missing keys: ").append(missing).append('.');
        if (!unexpected.isEmpty()) msg.append(" Unexpected keys: ").append(unexpected).append('.');
        if (!mismatched.isEmpty()) msg.append(" Size mismatch: ").append(String.join("; ", mismatched)).append('.');
        throw new IllegalArgumentException(msg.toString());
    }
}
