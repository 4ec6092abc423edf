package org.moelab.magics;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.moelab.experiments.MoeCell;
import org.moelab.experiments.MoeRun;
import org.moelab.experiments.Papers;
import org.moelab.experiments.RunSpec;
import org.moelab.lab.Interrupts;
import org.moelab.sweep.SweepPlan;

/**
 * The {@code %moe} line magic (a dispatcher over {@link MoeCommands}) and the {@code %%moe} cell magic (train one
 * model's configuration block, see {@link MoeCell}). Registered through basekernel's
 * {@code @LineMagic} registry, so {@code getKernelInstance().getMagics().registerMagics(new MoeMagics(...))} would
 * also load it into a stock IJava-style kernel.
 */
public final class MoeMagics implements MoeContext {
    /** The type of the variable {@code %%moe --as NAME} declares. */
    public static final String BINDING_TYPE = MoeRun.class.getName();
    private static final String AS = "--as";

    private final BaseKernel kernel;
    private final MoeCommands commands;
    /**
     * Runs by their {@code --as} name, for {@code %moe inspect NAME} and {@code %moe compare}: a line magic receives
     * words, not the notebook's variables, so the binding cell records here what it bound there (this kernel only).
     */
    private final Map<String, MoeRun> named = new ConcurrentHashMap<>();

    public MoeMagics(BaseKernel kernel) {
        this.kernel = kernel;
        this.commands = MoeCommands.discover(MoeMagics.class.getClassLoader());
    }

    @LineMagic
    public void moe(List<String> args) throws Exception {
        String name = args.isEmpty() ? "help" : args.get(0);
        MoeCommand command = commands.find(name).orElseThrow(() -> new IllegalArgumentException(
                "Unknown %moe command '" + name + "'. Try %moe help."));
        command.run(args.subList(Math.min(1, args.size()), args.size()), this);
    }

    /**
     * {@code %%moe sweep [paper and options]}: the body's {@code key: value} lines are a sweep's options (see
     * {@link SweepCommand}); its table is shown and nothing is returned.
     *
     * <p>{@code %%moe help [model]}, or {@code %%moe} with an empty body: the models, or one model's keys.
     *
     * <p>{@code %%moe [--as NAME]}: the cell body names a model ({@code model: evomoe}; {@code lm} when absent) and its
     * keys ({@link MoeCell}); trains it with the live progress bar, shows the report and returns the {@link MoeRun},
     * which the kernel binds to {@code NAME}.
     */
    @CellMagic("moe")
    public MoeRun moeCell(List<String> args, String body) {
        // Help alone, or a %%moe with nothing below it: what a user typing %%moe to find out what it takes wants.
        if ((!args.isEmpty() && args.get(0).equals("help")) || (args.isEmpty() && (body == null || body.isBlank()))) {
            System.out.println(args.size() > 1 ? MoeCell.help(args.get(1)) : MoeCell.help());
            return null;
        }
        if (!args.isEmpty() && args.get(0).equals("sweep")) {
            display(SweepCommand.run(SweepPlan.parseCell(args.subList(1, args.size()), body)));
            return null;
        }
        boolean binding = args.size() == 2 && args.get(0).equals(AS);
        if (!args.isEmpty() && !binding) {
            throw new IllegalArgumentException("%%moe takes 'help [model]', 'sweep ...' or '--as NAME' on its first line (got "
                    + String.join(" ", args) + "); put the run's settings below it as key: value lines.");
        }
        MoeRun run = MoeCell.run(body);
        if (binding) named.put(args.get(1), run);
        // Interrupted: return what was trained at once (a cell outliving the kernel's stop grace is force-stopped
        // and would bind nothing); the next cell can show it.
        if (!Interrupts.requested()) display(run.report());
        return run;
    }

    /** Completion of {@code %moe w…}: commands, then each command's own words (papers, run names, options). */
    public List<String> completeArguments(List<String> before) {
        if (before.isEmpty() || (before.size() == 1 && before.get(0).equals("help"))) {
            return commands.all().stream().map(MoeCommand::name).sorted().toList();
        }
        List<String> runs = new ArrayList<>(new TreeSet<>(named.keySet()));
        return switch (before.get(0)) {
            case "inspect" -> before.size() == 1 ? runs : List.of("--layer", "--input");
            case "compare" -> runs.stream().filter(r -> !before.contains(r)).toList();
            case "reproduce" -> before.size() == 1 ? Papers.ids() : List.of("--full", "--quick", "--master");
            case "sweep" -> before.size() == 1 ? Papers.ids() : List.of("--seeds", "--arms", "--preset", "--set", "--grid", "--tune", "--metric", "--goal",
                    "--tune-seeds", "--master", "--max-failures", "--out");
            default -> List.of();
        };
    }

    /** Completion of a {@code %%moe} cell's first line. */
    public List<String> completeCellArguments(List<String> before) {
        if (before.isEmpty()) return List.of("help", "sweep", AS);
        if (before.size() == 1 && before.get(0).equals("help")) return MoeCell.MODELS;
        return List.of();
    }

    /** Completion of a {@code %%moe} body's keys: those of the model the body names (the lm's while it names none). */
    public List<String> completeCellKeys(List<String> header, String body) {
        if (!header.isEmpty() && header.get(0).equals("sweep")) return List.of();
        return MoeCell.keys(modelOrLm(body)).stream().map(RunSpec.Key::name).toList();
    }

    /** Completion of a {@code %%moe} body's value: the key's allowed values when they are a list of words. */
    public List<String> completeCellValues(List<String> header, String key, String body) {
        if (!header.isEmpty() && header.get(0).equals("sweep")) return List.of();
        for (RunSpec.Key k : MoeCell.keys(modelOrLm(body))) {
            if (!k.name().equalsIgnoreCase(key)) continue;
            List<String> words = List.of(k.allowed().split("\\s*\\|\\s*"));
            return words.size() > 1 && words.stream().allMatch(w -> w.matches("[\\w+.-]+")) ? words : List.of();
        }
        return List.of();
    }

    /** The model a body being typed names (its other lines may be unfinished), or lm while it names none or no known one. */
    private static String modelOrLm(String body) {
        try {
            return MoeCell.modelOf(body);
        } catch (IllegalArgumentException e) {
            return "lm";
        }
    }

    @Override
    public void display(Object value) {
        kernel.display(kernel.getRenderer().render(value));
    }

    @Override
    public void display(Object value, String... mimeTypes) {
        kernel.display(kernel.getRenderer().renderAs(value, mimeTypes));
    }

    @Override
    public MoeCommands commands() {
        return commands;
    }

    @Override
    public MoeRun run(String name) {
        MoeRun run = named.get(name);
        if (run == null) {
            throw new IllegalArgumentException("No %%moe run named '" + name + "': name one with %%moe --as " + name
                    + (named.isEmpty() ? " (no run is named yet)" : "; named runs: " + String.join(", ", new TreeSet<>(named.keySet()))));
        }
        return run;
    }
}
