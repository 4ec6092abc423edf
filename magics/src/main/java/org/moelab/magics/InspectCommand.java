package org.moelab.magics;

import java.util.List;
import org.moelab.experiments.RoutingInspector;

/** {@code %moe inspect RUN [--layer N] [--input "text"]}: the routing inspector for a run a {@code %%moe --as RUN} cell trained. */
public final class InspectCommand implements MoeCommand {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "show where a %%moe --as run routes its tokens: load, entropy, tokens coloured by expert, heat map";
    }

    @Override
    public String usage() {
        return "%moe inspect RUN [--layer N] [--input \"text\"]\n"
                + "  RUN: the name a %%moe --as RUN cell bound; --layer: which routed layer the token view shows (default the last);\n"
                + "  --input: lm and smoe-dropout take text, evomoe token ids (\"32 1 2 3\"); mom and promoe use their task's data";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        if (args.isEmpty()) throw new IllegalArgumentException("%moe inspect needs a run name.\n" + usage());
        String name = args.get(0);
        Integer layer = null;
        String input = null;
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) throw new IllegalArgumentException("%moe inspect: " + option + " needs a value.\n" + usage());
            String value = args.get(++i);
            switch (option) {
                case "--layer" -> {
                    try {
                        layer = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("%moe inspect: --layer must be a layer number, got '" + value + "'");
                    }
                }
                case "--input" -> input = value;
                default -> throw new IllegalArgumentException("%moe inspect: unknown option '" + option + "'; options: --layer, --input.\n" + usage());
            }
        }
        context.display(RoutingInspector.inspect(context.run(name), layer, input));
    }
}
