package org.moelab.magics;

import java.util.List;

/** {@code %moe help [command]}: what {@code %moe} can do. */
final class HelpCommand implements MoeCommand {
    @Override
    public String name() {
        return "help";
    }

    @Override
    public String summary() {
        return "list the %moe subcommands, or explain one: %moe help <command>";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        if (!args.isEmpty()) {
            MoeCommand command = context.commands().find(args.get(0))
                    .orElseThrow(() -> new IllegalArgumentException("No %moe subcommand named " + args.get(0)));
            context.out().println(command.usage());
            return;
        }
        context.out().println("%moe <command> [args]  -  MoE Lab's notebook commands");
        int width = context.commands().all().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (MoeCommand command : context.commands().all()) {
            context.out().printf("  %-" + width + "s  %s%n", command.name(), command.summary());
        }
    }
}
