package org.moelab.viz;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Charts and images to PNG bytes, SVG text or files, off-screen (headless-safe: nothing here opens a window). I/O
 * errors come back unchecked, since writing into a byte array cannot fail and a notebook cell should not need a
 * try block to save a figure.
 */
public final class ChartExport {
    private ChartExport() {}

    public static BufferedImage toImage(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(Checks.notNull("ChartExport", "chart", chart));
    }

    public static byte[] toPng(Chart<?, ?> chart) {
        return toPng(toImage(chart));
    }

    public static byte[] toPng(RenderedImage image) {
        Checks.notNull("ChartExport", "image", image);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static String toSvg(Chart<?, ?> chart) {
        Checks.notNull("ChartExport", "chart", chart);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, bytes, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Writes PNG to {@code file} (parent folders are created). */
    public static Path savePng(Chart<?, ?> chart, Path file) {
        return write(file, toPng(chart));
    }

    public static Path savePng(RenderedImage image, Path file) {
        return write(file, toPng(image));
    }

    public static Path saveSvg(Chart<?, ?> chart, Path file) {
        return write(file, toSvg(chart).getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path file, byte[] bytes) {
        Checks.notNull("ChartExport", "file", file);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
