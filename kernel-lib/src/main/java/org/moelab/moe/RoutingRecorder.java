package org.moelab.moe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The routings of one forward pass, in the order the layers ran: {@link MoELayer} records each decision here, and
 * aux losses and routing metrics read them from here. One recorder belongs to one {@link RoutingContext}.
 */
public final class RoutingRecorder {
    private final List<Object> layers = new ArrayList<>();
    private final List<Routing> routings = new ArrayList<>();

    /** Adds {@code layer}'s routing to this pass. */
    public void record(Object layer, Routing routing) {
        layers.add(layer);
        routings.add(routing);
    }

    /** Every routing of the pass, in forward order. */
    public List<Routing> routings() {
        return Collections.unmodifiableList(routings);
    }

    /** The latest routing {@code layer} recorded in this pass, or null when it did not run. */
    public Routing of(Object layer) {
        for (int i = layers.size() - 1; i >= 0; i--) if (layers.get(i) == layer) return routings.get(i);
        return null;
    }

    /** The latest routing of each of {@code layers} that ran in this pass, in the given order. */
    public List<Routing> of(List<?> ofLayers) {
        List<Routing> out = new ArrayList<>();
        for (Object l : ofLayers) {
            Routing r = of(l);
            if (r != null) out.add(r);
        }
        return out;
    }

    public boolean isEmpty() {
        return routings.isEmpty();
    }
}
