package org.moelab.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Seeded synthetic Tribuo datasets, built in memory (no files, no network). */
final class TestData {
    static final LabelFactory LABELS = new LabelFactory();
    /** A fixed time so that two datasets built from the same seed have equal provenance. */
    private static final OffsetDateTime CREATED = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private TestData() {}

    /**
     * Three Gaussian blobs (std 1) in features f0, f1 with centres 3.5 apart, plus two pure-noise features. f1 is
     * then put on a raw scale of ×1000 + 5000 and f0 kept as is, so the model only trains well if it standardises.
     */
    static MutableDataset<Label> blobs(int n, long seed, String... names) {
        String[] labels = names.length == 0 ? new String[] {"north", "east", "west"} : names;
        double[][] centres = {{0, 3.5}, {3, -1.75}, {-3, -1.75}};
        SplittableRandom rng = new SplittableRandom(seed);
        MutableDataset<Label> data = dataset("blobs-" + seed);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            ArrayExample<Label> ex = new ArrayExample<>(new Label(labels[c]));
            ex.add("f0", centres[c][0] + gaussian(rng));
            ex.add("f1", (centres[c][1] + gaussian(rng)) * 1000 + 5000);
            ex.add("noise0", gaussian(rng));
            ex.add("noise1", gaussian(rng));
            data.add(ex);
        }
        return data;
    }

    /** Two classes by the sign of x·y on the square [-1, 1]²: a linear boundary tops out near 2/3 (cutting off one corner), an MLP gets > 95%. */
    static MutableDataset<Label> xor(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        MutableDataset<Label> data = dataset("xor-" + seed);
        for (int i = 0; i < n; i++) {
            double x = rng.nextDouble(-1, 1), y = rng.nextDouble(-1, 1);
            ArrayExample<Label> ex = new ArrayExample<>(new Label(x * y > 0 ? "same" : "different"));
            ex.add("x", x);
            ex.add("y", y);
            data.add(ex);
        }
        return data;
    }

    /** The string value of one entry of a provenance object (a trainer's @Config value, its invocation count...). */
    static String entry(ObjectProvenance provenance, String key) {
        for (Pair<String, Provenance> p : provenance) if (p.getA().equals(key)) return p.getB().toString();
        throw new AssertionError("no provenance entry '" + key + "' in " + provenance);
    }

    private static MutableDataset<Label> dataset(String name) {
        return new MutableDataset<>(new SimpleDataSourceProvenance(name, CREATED, LABELS), LABELS);
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
