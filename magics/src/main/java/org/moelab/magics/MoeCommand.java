package org.moelab.magics;

import java.util.List;

/**
 * One subcommand of the {@code %moe} magic ({@code %moe env}, {@code %moe help}, later {@code %moe papers},
 * {@code %moe reproduce}...). A command is thin: it parses its arguments, calls the same kernel-lib API a notebook
 * cell would, and shows the result. Add one by implementing this interface in its own file and listing the class in
 * {@code META-INF/services/org.moelab.magics.MoeCommand}.
 */
public interface MoeCommand {
    /** The word after {@code %moe}. */
    String name();

    /** One line for {@code %moe help}. */
    String summary();

    /** Longer usage for {@code %moe help <name>}; the summary by default. */
    default String usage() {
        return "%moe " + name() + " - " + summary();
    }

    void run(List<String> args, MoeContext context) throws Exception;
}
