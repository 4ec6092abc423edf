package org.moelab.viz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The palette slot each series name keeps for the life of the JVM (one notebook's kernel), so that an arm drawn in
 * several charts is recognised by its colour alone, whatever order and subset of series each chart adds. Before this,
 * a chart coloured its series by the order they were added, and an arm changed colour from one chart to the next.
 *
 * <p>One chart's slots are chosen in an order that does not depend on the order of its series:
 * <ol>
 *   <li>names in the chart style's arm list ({@link ChartStyle#withArms}) take their index in that list, so an
 *       experiment's arms have the same colours in every JVM, whatever was drawn before;</li>
 *   <li>names seen in an earlier chart keep the slot they got there (older names first);</li>
 *   <li>new names, alphabetically, take the free slot that the fewest earlier names hold.</li>
 * </ol>
 * Distinct series of one chart never share a colour while the palette has a free one: a name whose slot another
 * series of this chart already holds (under an earlier rule) takes the first free slot, in this chart only. That
 * happens only after more names than the palette has colours, or when an arm-list index meets a name coloured before.
 * The first slot a name gets is kept; the registry only grows (a kernel draws tens of names, not millions).
 */
final class SeriesColours {
    private record Kept(int slot, int sequence) {}

    private static final Map<String, Kept> KEPT = new HashMap<>();
    private static final int[] NAMES_PER_SLOT = new int[ChartStyle.PALETTE.length];

    private SeriesColours() {}

    /** The palette slot of each of {@code seriesNames}, in their order (a name given twice: the second takes a free slot). */
    static synchronized int[] slots(List<String> seriesNames, List<String> armOrder) {
        int n = seriesNames.size();
        int palette = ChartStyle.PALETTE.length;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        order.sort(Comparator.<Integer>comparingInt(i -> rule(seriesNames.get(i), armOrder))
                .thenComparingInt(i -> rank(seriesNames.get(i), armOrder))
                .thenComparing(seriesNames::get));
        int[] slots = new int[n];
        boolean[] taken = new boolean[palette];
        for (int i : order) {
            String name = seriesNames.get(i);
            int slot = switch (rule(name, armOrder)) {
                case 0 -> Math.floorMod(armOrder.indexOf(name), palette);
                case 1 -> KEPT.get(name).slot();
                default -> leastUsedFree(taken);
            };
            if (taken[slot]) slot = firstFree(taken, slot);
            slots[i] = slot;
            taken[slot] = true;
            if (!KEPT.containsKey(name)) {
                KEPT.put(name, new Kept(slot, KEPT.size()));
                NAMES_PER_SLOT[slot]++;
            }
        }
        return slots;
    }

    /** 0: in the arm list; 1: seen before; 2: new. */
    private static int rule(String name, List<String> armOrder) {
        return armOrder.contains(name) ? 0 : KEPT.containsKey(name) ? 1 : 2;
    }

    private static int rank(String name, List<String> armOrder) {
        int arm = armOrder.indexOf(name);
        if (arm >= 0) return arm;
        Kept kept = KEPT.get(name);
        return kept != null ? kept.sequence() : 0;
    }

    private static int leastUsedFree(boolean[] taken) {
        int best = -1;
        for (int s = 0; s < taken.length; s++) {
            if (!taken[s] && (best < 0 || NAMES_PER_SLOT[s] < NAMES_PER_SLOT[best])) best = s;
        }
        return best >= 0 ? best : 0;
    }

    /** The lowest free slot, or {@code fallback} when the chart has more series than the palette has colours. */
    private static int firstFree(boolean[] taken, int fallback) {
        for (int s = 0; s < taken.length; s++) if (!taken[s]) return s;
        return fallback;
    }
}
