package org.moelab.kernel;

import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.moelab.kernel.assist.MagicCatalog;

/**
 * The magics registered in basekernel's {@link Magics}, for completion. basekernel 2.3.0 (pinned in the parent pom)
 * keeps the names in private maps with no getter, hence the reflection; a changed basekernel fails loudly here.
 */
final class RegisteredMagics implements MagicCatalog {
    private final Magics magics;
    private final Map<String, Supplier<List<String>>> subcommands = new ConcurrentHashMap<>();

    RegisteredMagics(Magics magics) {
        this.magics = magics;
    }

    void subcommands(String lineMagic, Supplier<List<String>> choices) {
        subcommands.put(lineMagic, choices);
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
    public List<String> subcommands(String lineMagic) {
        Supplier<List<String>> choices = subcommands.get(lineMagic);
        return choices == null ? List.of() : choices.get();
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
