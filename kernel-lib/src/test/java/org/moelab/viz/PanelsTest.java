package org.moelab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class PanelsTest {
    private static XYChart chart() {
        return Curves.builder("c").yTitle("y", Better.NEITHER).add("a", new double[] {1, 2, 3}).build();
    }

    @Test
    void rowPlacesPanelsSideBySideWithAGap() {
        BufferedImage small = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB);
        BufferedImage figure = Panels.row(chart(), small);
        assertEquals(ChartStyle.HOUSE.width() + 10 + 100, figure.getWidth());
        assertEquals(420, figure.getHeight());
    }

    @Test
    void gridWrapsRowsAndSizesCellsByTheLargestPanel() {
        BufferedImage figure = Panels.grid(2, List.of(chart(), chart(), chart()));
        assertEquals(2 * ChartStyle.HOUSE.width() + 10, figure.getWidth());
        assertEquals(2 * 420 + 10, figure.getHeight());
    }

    @Test
    void rejectsWhatItCannotDraw() {
        assertEquals("Panels: panels[1] must be an XChart chart or a BufferedImage, got java.lang.String",
                assertThrows(IllegalArgumentException.class, () -> Panels.row(chart(), "oops")).getMessage());
        assertEquals("Panels: panels must not be empty", assertThrows(IllegalArgumentException.class, () -> Panels.grid(2, List.of())).getMessage());
    }

    @Test
    void savesPngAndSvgFiles(@TempDir Path dir) throws Exception {
        Path png = ChartExport.savePng(chart(), dir.resolve("figs/loss.png"));
        Path svg = ChartExport.saveSvg(chart(), dir.resolve("loss.svg"));
        assertTrue(Files.size(png) > 1000);
        assertTrue(Files.readString(svg).contains("<svg"));
        assertTrue(ChartExport.toPng(Panels.row(chart())).length > 1000);
    }
}
