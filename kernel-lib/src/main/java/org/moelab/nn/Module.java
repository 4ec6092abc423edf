package org.moelab.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.moelab.tensor.Tensor;

/**
 * A trainable component: parameters registered in order under local names, and submodules whose parameters appear
 * under dotted names ({@code blocks.0.attn.q.weight}), exactly as PyTorch names them, so that state dicts read the
 * same in both worlds.
 *
 * <p>Registration order is the iteration order of {@link #namedParameters()}, {@link #stateDict()} and of
 * optimizer state, which keeps checkpoints and seeded runs reproducible.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Makes {@code tensor} a parameter of this module (sets {@code requiresGrad}); returns it for field assignment. */
    protected final Tensor registerParameter(String name, Tensor tensor) {
        requireNewName(name);
        if (tensor.op() != null) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name + "' must be a leaf tensor, got the output of '" + tensor.op() + "'");
        // The first registration names the tensor; a tied weight registered again keeps its name.
        parameters.put(name, tensor.name() == null ? tensor.requiresGrad(true).named(name) : tensor.requiresGrad(true));
        return tensor;
    }

    /** Makes {@code module} a child of this one; its parameters appear as {@code name.<its names>}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        requireNewName(name);
        if (module == this) throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot contain itself");
        children.put(name, module);
        module.train(training);
        return module;
    }

    private void requireNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name must be non-empty without '.', got '" + name + "'");
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    /**
     * Every parameter, own ones first then each child's, in registration order, keyed by dotted name. A tensor
     * registered under several names (tied weights) appears once, under the first of them in this order, so an
     * optimizer updates it once (PyTorch does the same).
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen) {
        parameters.forEach((n, t) -> {
            if (seen.add(t)) out.put(prefix + n, t);
        });
        children.forEach((n, m) -> m.collect(prefix + n + ".", out, seen));
    }

    /** Every descendant module (not this one) by dotted name, depth first in registration order. */
    public final LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        children.forEach((n, m) -> {
            out.put(n, m);
            m.namedModules().forEach((sub, mod) -> out.put(n + "." + sub, mod));
        });
        return out;
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The direct submodules by local name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    public final long numParameters() {
        long n = 0;
        for (Tensor p : namedParameters().values()) n += p.numel();
        return n;
    }

    /** Drops every parameter's gradient (PyTorch's set-to-none: a parameter no loss reached gets no update). */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    // ---------------------------------------------------------------- mode

    /** Training mode (dropout active) for this module and all its descendants. */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off) for this module and all its descendants. */
    public final Module eval() {
        return train(false);
    }

    public final Module train(boolean on) {
        training = on;
        for (Module child : children.values()) child.train(on);
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    // ---------------------------------------------------------------- state

    /** A copy of every parameter's values, keyed by dotted name in registration order. */
    public final LinkedHashMap<String, float[]> stateDict() {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        namedParameters().forEach((n, t) -> out.put(n, t.toFloatArray()));
        return out;
    }

    /** Strict load: every key must be present, none extra, every size equal. */
    public final void loadStateDict(Map<String, float[]> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies values into the parameters. Everything is validated before anything is written, so a failed load leaves
     * the module unchanged. Non-strict loading (e.g. base weights into a model with extra adapters) ignores missing
     * and unexpected keys but still rejects size mismatches.
     */
    public final void loadStateDict(Map<String, float[]> state, boolean strict) {
        LinkedHashMap<String, Tensor> params = namedParameters();
        LinkedHashMap<String, Integer> sizes = new LinkedHashMap<>();
        params.forEach((n, t) -> sizes.put(n, t.numel()));
        StateMaps.validate(getClass().getSimpleName() + ".loadStateDict", sizes, state, strict);
        params.forEach((n, t) -> {
            float[] src = state.get(n);
            if (src != null) System.arraycopy(src, 0, t.data(), 0, src.length);
        });
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + numParameters() + " parameters)";
    }
}
