package org.moelab.experiments;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one setting of an experiment (a component of its settings record), as Tribuo's {@code @Config} declares
 * a configurable field: what it means and which values make sense. {@link SettingsCodec#declared} reads it, with
 * the quick and full presets' values, so the declared options are data a sweep or a notebook can list.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD})
public @interface Option {
    String description();

    /**
     * Allowed values, e.g. "1..10000", "(0, 1]", ">= 0" or "tinytext | markov". A numeric range at its start is
     * enforced when a spec is rebuilt ({@link SettingsCodec#fromMap}: a {@code %%moe} cell, a sweep point, a
     * {@code --set}), before anything trains; a condition on other settings ("divisible by heads", "1..steps"'s upper
     * end) is left to the experiment's own checks.
     */
    String range() default "";
}
