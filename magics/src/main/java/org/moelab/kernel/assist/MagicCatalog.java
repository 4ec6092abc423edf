package org.moelab.kernel.assist;

import java.util.List;
import java.util.Set;

/** What completion knows about magics: the registered names and, for some, a {@link MagicCompleter} for their words. */
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
        public MagicCompleter completer(String magic) {
            return MagicCompleter.NONE;
        }
    };

    Set<String> lineMagics();

    Set<String> cellMagics();

    /** What the magic {@code magic} (line or cell) completes beyond its name; {@link MagicCompleter#NONE} when nothing. */
    MagicCompleter completer(String magic);
}
