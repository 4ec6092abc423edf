package org.moelab.kernel.assist;

import java.util.List;
import java.util.Set;

/** What completion knows about magics: the registered names and, for some, their first argument's choices. */
public interface MagicCatalog {
    MagicCatalog NONE = new MagicCatalog() {
        @Override
        public Set<String> lineMagics() {
            return Set.of();
        }

        @Override
        public Set<String> cellMagics() {
            return Set.of();
        }

        @Override
        public List<String> subcommands(String lineMagic) {
            return List.of();
        }
    };

    Set<String> lineMagics();

    Set<String> cellMagics();

    /** Choices for the first argument of {@code %lineMagic} (e.g. {@code %moe env}); empty when free-form. */
    List<String> subcommands(String lineMagic);
}
