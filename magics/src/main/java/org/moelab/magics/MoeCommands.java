package org.moelab.magics;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The {@code %moe} subcommand registry: built-ins plus every {@link MoeCommand} listed under
 * {@code META-INF/services}, so a later issue adds a subcommand without touching this file.
 */
public final class MoeCommands {
    private final Map<String, MoeCommand> byName = new TreeMap<>();

    /** Built-ins ({@code help}, {@code env}) and those the class loader's service files declare. */
    public static MoeCommands discover(ClassLoader loader) {
        MoeCommands commands = new MoeCommands();
        commands.register(new HelpCommand());
        commands.register(new EnvCommand());
        ServiceLoader.load(MoeCommand.class, loader).forEach(commands::register);
        return commands;
    }

    /** Adds or replaces a subcommand (a notebook may register its own). */
    public void register(MoeCommand command) {
        byName.put(command.name(), command);
    }

    public Optional<MoeCommand> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<MoeCommand> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
