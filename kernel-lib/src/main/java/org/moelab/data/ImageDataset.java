package org.moelab.data;

import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.IntStream;

/**
 * The 16×16 ten-class image data sets an image experiment can be trained on, by name (the ProMoE study's
 * {@code dataset} setting): each makes a seeded {@link ClassImageGenerator}. The frozen evaluator trained on each is
 * shipped beside it ({@code org.moelab.eval.ShapesEvaluator#shipped(ImageDataset)}).
 */
public enum ImageDataset {
    /** Ten shape classes; a 4×4 patch is mostly background or edge (ProMoE's first round). */
    SHAPES10("Shapes-10", Shapes10::new, List.of("disk", "ring", "square", "outline", "triangle", "plus", "x", "h-bars", "v-bars", "diamond")),
    /** Ten texture classes inside random blobs; every foreground 4×4 patch shows its class (second round). */
    TEXTURES10("Textures-10", Textures10::new, List.of("h-lines", "v-lines", "h-stripes", "v-stripes", "diagonal", "anti-diag", "fine check",
            "coarse check", "dots", "solid"));

    /** How papers and report titles write it. */
    public final String displayName;
    private final LongFunction<ClassImageGenerator> generator;
    private final List<String> shortClassNames;

    ImageDataset(String displayName, LongFunction<ClassImageGenerator> generator, List<String> shortClassNames) {
        this.displayName = displayName;
        this.generator = generator;
        this.shortClassNames = shortClassNames;
    }

    /** A generator of this data set seeded with {@code seed} (the same seed gives the same images). */
    public ClassImageGenerator generator(long seed) {
        return generator.apply(seed);
    }

    /** The class names of this data set in label order (for grids and heat maps). */
    public List<String> classNames() {
        ClassImageGenerator g = generator(0);
        return IntStream.range(0, ClassImageGenerator.CLASSES).mapToObj(g::className).toList();
    }

    /** Abbreviated class names in label order, for narrow chart axes. */
    public List<String> shortClassNames() {
        return shortClassNames;
    }
}
