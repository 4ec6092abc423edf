package org.moelab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid of small images (generated samples, class prototypes) as one {@link BufferedImage}, rows optionally labelled
 * (e.g. one row per class). Each image is a flat float array: {@code height·width} values row-major for grayscale, or
 * {@code 3·height·width} channel-first (R plane, G plane, B plane, the layout of an NCHW tensor) for RGB.
 *
 * <pre>{@code
 * BufferedImage grid = ImageGrid.builder(16, 16).valueRange(-1, 1)      // samples from a model trained on [-1, 1]
 *         .row("circle", samples[0]).row("square", samples[1]).build();  // upscaled x4, nearest neighbour
 * }</pre>
 *
 * Values are mapped linearly from the value range to 0..255 and clamped; NaN pixels are magenta so a diverged sample
 * is visible rather than silently black. Upscaling is nearest-neighbour so individual pixels stay crisp; the default
 * factor makes a cell about 64 pixels on its longer side.
 */
public final class ImageGrid {
    private static final String OWNER = "ImageGrid";
    private static final int NAN_RGB = 0xFF00FF;
    private static final Color BACKGROUND = Color.WHITE;
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ImageGrid() {}

    public static Builder builder(int height, int width) {
        return new Builder(height, width);
    }

    private record Row(String label, List<float[]> images) {}

    /** Image size, value range, scale and rows; {@link #build()} draws the grid. */
    public static final class Builder {
        private final int height;
        private final int width;
        private final List<Row> rows = new ArrayList<>();
        private int channels = 1;
        private double low = 0;
        private double high = 1;
        private int scale;
        private int padding = 2;

        private Builder(int height, int width) {
            this.height = Checks.positive(OWNER, "height", height);
            this.width = Checks.positive(OWNER, "width", width);
            this.scale = Math.max(1, 64 / Math.max(height, width));
        }

        /** 1 (grayscale, default) or 3 (RGB, channel-first). Call before adding images. */
        public Builder channels(int channels) {
            if (channels != 1 && channels != 3) throw new IllegalArgumentException(OWNER + ": channels must be 1 or 3, got " + channels);
            if (!rows.isEmpty()) throw new IllegalArgumentException(OWNER + ": set channels before adding images");
            this.channels = channels;
            return this;
        }

        /** The values that map to black and white; default [0, 1]; use (-1, 1) for tanh outputs. */
        public Builder valueRange(double low, double high) {
            Checks.finite(OWNER, "valueRange low", low);
            Checks.finite(OWNER, "valueRange high", high);
            if (!(low < high)) throw new IllegalArgumentException(OWNER + ": valueRange low must be < high, got [" + low + ", " + high + "]");
            this.low = low;
            this.high = high;
            return this;
        }

        /** Integer upscale factor (nearest neighbour). */
        public Builder scale(int scale) {
            this.scale = Checks.positive(OWNER, "scale", scale);
            return this;
        }

        /** Pixels of background between cells and around the grid. */
        public Builder padding(int padding) {
            if (padding < 0) throw new IllegalArgumentException(OWNER + ": padding must be >= 0, got " + padding);
            this.padding = padding;
            return this;
        }

        /** One labelled row of images. */
        public Builder row(String label, float[]... images) {
            Checks.notNull(OWNER, "images", images);
            Checks.nonEmpty(OWNER, "images of row " + (label == null ? rows.size() : "'" + label + "'"), images.length);
            List<float[]> copies = new ArrayList<>();
            int expected = channels * height * width;
            for (int i = 0; i < images.length; i++) {
                Checks.notNull(OWNER, "images[" + i + "]", images[i]);
                if (images[i].length != expected) {
                    throw new IllegalArgumentException(OWNER + ": images[" + i + "] of row " + rows.size() + " has " + images[i].length + " values but "
                            + channels + "x" + height + "x" + width + " needs " + expected);
                }
                copies.add(images[i].clone());
            }
            rows.add(new Row(label, copies));
            return this;
        }

        /** Images without labels, wrapped into rows of {@code perRow}. */
        public Builder images(int perRow, float[]... images) {
            Checks.positive(OWNER, "perRow", perRow);
            Checks.notNull(OWNER, "images", images);
            Checks.nonEmpty(OWNER, "images", images.length);
            for (int start = 0; start < images.length; start += perRow) {
                float[][] chunk = new float[Math.min(perRow, images.length - start)][];
                System.arraycopy(images, start, chunk, 0, chunk.length);
                row(null, chunk);
            }
            return this;
        }

        public BufferedImage build() {
            Checks.atLeastOne(OWNER, "row (row(label, images...))", rows);
            int cellWidth = width * scale;
            int cellHeight = height * scale;
            int columns = rows.stream().mapToInt(r -> r.images().size()).max().orElse(1);
            int labelWidth = labelWidth();
            int totalWidth = labelWidth + padding + columns * (cellWidth + padding);
            int totalHeight = padding + rows.size() * (cellHeight + padding);
            BufferedImage out = new BufferedImage(totalWidth, totalHeight, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            try {
                g.setColor(BACKGROUND);
                g.fillRect(0, 0, totalWidth, totalHeight);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(LABEL_FONT);
                g.setColor(new Color(0x222222));
                FontMetrics metrics = g.getFontMetrics();
                for (int r = 0; r < rows.size(); r++) {
                    Row row = rows.get(r);
                    int top = padding + r * (cellHeight + padding);
                    if (row.label() != null) {
                        g.drawString(row.label(), padding, top + (cellHeight + metrics.getAscent() - metrics.getDescent()) / 2);
                    }
                    for (int c = 0; c < row.images().size(); c++) {
                        paint(out, row.images().get(c), labelWidth + padding + c * (cellWidth + padding), top);
                    }
                }
            } finally {
                g.dispose();
            }
            return out;
        }

        private int labelWidth() {
            boolean any = rows.stream().anyMatch(r -> r.label() != null);
            if (!any) return 0;
            BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scratch.createGraphics();
            try {
                FontMetrics metrics = g.getFontMetrics(LABEL_FONT);
                int widest = rows.stream().filter(r -> r.label() != null).mapToInt(r -> metrics.stringWidth(r.label())).max().orElse(0);
                return widest + 2 * padding + 4;
            } finally {
                g.dispose();
            }
        }

        private void paint(BufferedImage out, float[] image, int left, int top) {
            int plane = height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * width + x;
                    int rgb = channels == 1 ? gray(image[i]) : rgb(image[i], image[plane + i], image[2 * plane + i]);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) out.setRGB(left + x * scale + dx, top + y * scale + dy, rgb);
                    }
                }
            }
        }

        private int gray(float v) {
            if (Float.isNaN(v)) return NAN_RGB;
            int level = level(v);
            return (level << 16) | (level << 8) | level;
        }

        private int rgb(float r, float g, float b) {
            if (Float.isNaN(r) || Float.isNaN(g) || Float.isNaN(b)) return NAN_RGB;
            return (level(r) << 16) | (level(g) << 8) | level(b);
        }

        /** Value → 0..255, clamped; package-visible through the grid's pixels, which tests read back. */
        private int level(float v) {
            double unit = (v - low) / (high - low);
            return (int) Math.round(Math.max(0, Math.min(1, unit)) * 255);
        }
    }
}
