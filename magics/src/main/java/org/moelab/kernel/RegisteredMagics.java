package org.moelab.kernel;

import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.moelab.kernel.assist.MagicCatalog;
import org.moelab.kernel.assist.MagicCompleter;

/**
 * The magics registered in basekernel's {@link Magics}, for completion. basekernel 2.3.0 (pinned in the parent pom)
 * keeps the names in private maps with no getter, hence the reflection; a changed basekernel fails loudly here.
 */
final class RegisteredMagics implements MagicCatalog {
    private final Magics magics;
    private final Map<String, MagicCompleter> completers = new ConcurrentHashMap<>();

    RegisteredMagics(Magics magics) {
        this.magics = magics;
    }

    void completer(String magic, MagicCompleter completer) {
        completers.put(magic, completer);
    }

    @Override
    public Set<String> lineMagics() {
        return names("lineMagics");
    }

    @Override
    public Set<String> cellMagics() {
        return names("cellMagics");
    }

    @Override
    public MagicCompleter completer(String magic) {
        return completers.getOrDefault(magic, MagicCompleter.NONE);
    }

    private Set<String> names(String field) {
        try {
            Field map = Magics.class.getDeclaredField(field);
            map.setAccessible(true);
            return new TreeSet<>(((Map<?, ?>) map.get(magics)).keySet().stream().map(String::valueOf).toList());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("basekernel changed: no field Magics." + field, e);
        }
    }
}
