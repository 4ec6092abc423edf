package org.moelab.magics;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.util.List;
import org.moelab.experiments.CustomRun;
import org.moelab.experiments.RunSpec;
import org.moelab.sweep.SweepPlan;

/**
 * The {@code %moe} line magic (a dispatcher over {@link MoeCommands}) and the {@code %%moe} cell magic (train one
 * configuration block, see {@link RunSpec}). Registered through basekernel's
 * {@code @LineMagic} registry, so {@code getKernelInstance().getMagics().registerMagics(new MoeMagics(...))} would
 * also load it into a stock IJava-style kernel.
 */
public final class MoeMagics implements MoeContext {
    private final BaseKernel kernel;
    private final MoeCommands commands;

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
     * <p>{@code %%moe help}, or {@code %%moe} with an empty body: prints every key with its default, range and meaning.
     *
     * <p>{@code %%moe}: the cell body is a {@link RunSpec} block ({@code key: value} per line); builds the model with the
     * chosen router on the chosen task, trains it with the live progress bar, shows the outcome and returns the run.
     */
    @CellMagic("moe")
    public CustomRun.Result moeCell(List<String> args, String body) {
        // Help alone, or a %%moe with nothing below it: what a user typing %%moe to find out what it takes wants.
        if ((!args.isEmpty() && args.get(0).equals("help")) || (args.isEmpty() && (body == null || body.isBlank()))) {
            System.out.println(RunSpec.help());
            return null;
        }
        if (!args.isEmpty() && args.get(0).equals("sweep")) {
            display(SweepCommand.run(SweepPlan.parseCell(args.subList(1, args.size()), body)));
            return null;
        }
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("%%moe takes no arguments on its first line except 'help' or 'sweep' (got "
                    + String.join(" ", args) + "); put the run's settings below it as key: value lines.");
        }
        CustomRun.Result result = CustomRun.execute(RunSpec.parse(body));
        display(result.report());
        return result;
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
}
