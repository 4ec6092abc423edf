package org.moelab.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Several charts or images side by side as one {@link BufferedImage}: loss curve next to the sweep, heat maps of two
 * layers next to each other. Each panel keeps its own size; a grid cell is as wide as the widest panel in its column
 * and as tall as the tallest in its row, and smaller panels sit top-left in their cell on white.
 *
 * <pre>{@code
 * BufferedImage figure = Panels.row(lossCurves, bpcSweep);            // 1 x 2
 * BufferedImage grid = Panels.grid(2, List.of(a, b, c, d));          // 2 x 2
 * }</pre>
 */
public final class Panels {
    private static final String OWNER = "Panels";
    private static final int GAP = 10;

    private Panels() {}

    /** All panels in one row. Each item is an XChart chart or a {@link BufferedImage}. */
    public static BufferedImage row(Object... panels) {
        Checks.notNull(OWNER, "panels", panels);
        return grid(Math.max(1, panels.length), Arrays.asList(panels));
    }

    /** Panels filled row by row, {@code columns} per row. Each item is an XChart chart or a {@link BufferedImage}. */
    public static BufferedImage grid(int columns, List<?> panels) {
        Checks.positive(OWNER, "columns", columns);
        Checks.notNull(OWNER, "panels", panels);
        Checks.nonEmpty(OWNER, "panels", panels.size());
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < panels.size(); i++) images.add(image(panels.get(i), i));
        int rows = (images.size() + columns - 1) / columns;
        int[] widths = new int[columns];
        int[] heights = new int[rows];
        for (int i = 0; i < images.size(); i++) {
            widths[i % columns] = Math.max(widths[i % columns], images.get(i).getWidth());
            heights[i / columns] = Math.max(heights[i / columns], images.get(i).getHeight());
        }
        int width = Arrays.stream(widths).sum() + GAP * (columns - 1);
        int height = Arrays.stream(heights).sum() + GAP * (rows - 1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (int r = 0; r < rows; r++) {
                int x = 0;
                for (int c = 0; c < columns && r * columns + c < images.size(); c++) {
                    g.drawImage(images.get(r * columns + c), x, y, null);
                    x += widths[c] + GAP;
                }
                y += heights[r] + GAP;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage image(Object panel, int index) {
        if (panel instanceof Chart<?, ?> chart) return ChartExport.toImage(chart);
        if (panel instanceof BufferedImage image) return image;
        throw new IllegalArgumentException(OWNER + ": panels[" + index + "] must be an XChart chart or a BufferedImage, got "
                + (panel == null ? "null" : panel.getClass().getName()));
    }
}
