package org.moelab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moelab.report.ResultsTable.Best;

class ResultsTableTest {
    private static ResultsTable runs() {
        return ResultsTable.builder("arm", "seed", "k", "bpc", "ok")
                .row("smoe", 1, 2, 2.0, true).row("smoe", 2, 2, 2.2, true).row("smoe", 3, 2, 2.4, true)
                .row("dense", 1, 8, 1.9, true).row("dense", 2, 8, 2.1, false).build();
    }

    @Test
    void columnsFilterSortAndSelect() {
        ResultsTable t = runs();
        assertEquals(5, t.rowCount());
        assertArrayEquals(new double[] {2.0, 2.2, 2.4, 1.9, 2.1}, t.column("bpc"));
        assertEquals(3, t.where("arm", "smoe").rowCount());
        assertEquals(2, t.where("k", 8.0).rowCount(), "numbers compare by value");
        assertEquals(List.of(1.9, 2.0, 2.1, 2.2, 2.4), t.sortBy("bpc").values("bpc"));
        assertEquals(2.4, t.sortBy("bpc", true).get(0, "bpc"));
        assertEquals(2, t.filter(r -> r.number("bpc") < 2.05).rowCount());
        assertEquals(List.of("bpc", "arm"), t.select("bpc", "arm").columns());
    }

    @Test
    void meanSdGroupsInFirstAppearanceOrderWithSampleSd() {
        ResultsTable summary = runs().meanSd(List.of("arm", "k"), List.of("bpc"));
        assertEquals(List.of("arm", "k", "n", "bpc"), summary.columns());
        assertEquals(List.of("smoe", "dense"), summary.values("arm"));
        MeanSd smoe = (MeanSd) summary.get(0, "bpc");
        assertEquals(2.2, smoe.mean(), 1e-12);
        assertEquals(0.2, smoe.sd(), 1e-12, "sample sd of 2.0, 2.2, 2.4");
        assertEquals(3, summary.get(0, "n"));
        MeanSd dense = (MeanSd) summary.get(1, "bpc");
        assertEquals(Math.sqrt(0.02), dense.sd(), 1e-12);
        assertArrayEquals(new double[] {2.2, 2.0}, summary.column("bpc"), 1e-12);
        assertEquals("2.200 ± 0.200", smoe.toString(), "sd at the mean's precision");
    }

    @Test
    void meanSdSkipsMissingCellsButKeepsNaNAndHandlesSingletons() {
        ResultsTable t = ResultsTable.builder("arm", "x").row("a", 1.0).row("a", null).row("b", Double.NaN).row("b", 1.0).row("c", 5).build();
        ResultsTable s = t.meanSd(List.of("arm"), List.of("x"));
        assertEquals(1.0, ((MeanSd) s.get(0, "x")).mean());
        assertEquals(2, s.get(0, "n"));
        assertTrue(Double.isNaN(((MeanSd) s.get(1, "x")).mean()), "a diverged seed shows as NaN");
        assertEquals("5.000", s.get(2, "x").toString(), "n = 1 prints the mean only");
        ResultsTable overall = t.meanSd(List.of(), List.of("x"));
        assertEquals(1, overall.rowCount());
    }

    @Test
    void numbersReadAsFourSignificantDigits() {
        assertEquals("2.346", CellFormat.number(2.34567));
        assertEquals("1235", CellFormat.number(1234.5));
        assertEquals("0.001235", CellFormat.number(0.0012345));
        assertEquals("1.235e-05", CellFormat.number(0.000012345));
        assertEquals("1.235e+07", CellFormat.number(12345678));
        assertEquals("10.00", CellFormat.number(9.99996));
        assertEquals("0", CellFormat.number(0));
        assertEquals("NaN", CellFormat.number(Double.NaN));
        assertEquals("42", CellFormat.display(42));
        assertEquals("12346 ± 100", CellFormat.meanSd(12345.6, 100.2));
        assertEquals("1.235e-05 ± 2.000e-06", CellFormat.meanSd(0.000012345, 0.000002));
    }

    @Test
    void htmlEscapesAndHighlightsTheBestValue() {
        ResultsTable t = ResultsTable.builder("arm <b>", "bpc").row("a&b \"q\" 'x'", 2.5).row("c", 2.25).build()
                .highlightBest("bpc", Best.LOWEST).caption("BPC < 3");
        String html = t.toHtml();
        assertTrue(html.contains("<th style=\"text-align:left;padding:2px 8px\">arm &lt;b&gt;</th>"), html);
        assertTrue(html.contains(">a&amp;b &quot;q&quot; &#39;x&#39;</td>"), html);
        assertTrue(html.contains("<caption style=\"text-align:left;font-weight:bold\">BPC &lt; 3</caption>"), html);
        assertTrue(html.contains("font-weight:bold;background:#e7f3ea\">2.250</td>"), html);
        assertTrue(html.contains("padding:2px 8px\">2.500</td>"), html);
    }

    @Test
    void markdownAlignsNumbersRightEscapesPipesAndBoldsTheBest() {
        ResultsTable t = ResultsTable.builder("arm", "acc").row("a|b", 0.5).row("c", 0.75).build().highlightBest("acc", Best.HIGHEST);
        assertEquals("| arm | acc |\n| :--- | ---: |\n| a\\|b | 0.5000 |\n| c | **0.7500** |\n", t.toMarkdown());
    }

    @Test
    void csvQuotesFieldsAndSplitsMeanSd(@TempDir Path dir) throws Exception {
        ResultsTable t = ResultsTable.builder("name", "value", "flag").row("plain", 0.1, true).row("a,b", 2, null).row("say \"hi\"", 1e-7, false).row("two\nlines", null, true).build();
        assertEquals("name,value,flag\r\nplain,0.1,true\r\n\"a,b\",2,\r\n\"say \"\"hi\"\"\",1.0E-7,false\r\n\"two\nlines\",,true\r\n", t.toCsv());
        ResultsTable s = ResultsTable.builder("arm", "x").row("a", 1.0).row("a", 3.0).build().meanSd(List.of("arm"), List.of("x"));
        assertEquals("arm,n,x,x_sd\r\na,2,2.0,1.4142135623730951\r\n", s.toCsv());
        Path file = s.writeCsv(dir.resolve("out/summary.csv"));
        assertEquals(s.toCsv(), Files.readString(file));
    }

    @Test
    void textIsAligned() {
        ResultsTable t = ResultsTable.builder("arm", "bpc").row("smoe-dropout", 2.5).row("d", 12.25).build();
        assertEquals("arm             bpc\n------------  -----\nsmoe-dropout  2.500\nd             12.25\n", t.toString());
    }

    @Test
    void rejectsBadRowsAndUnknownColumns() {
        assertEquals("ResultsTable: row 0 has 1 values but the table has 2 columns [a, b]",
                assertThrows(IllegalArgumentException.class, () -> ResultsTable.builder("a", "b").row("x")).getMessage());
        assertEquals("ResultsTable: column 'a' holds Number values but row 1 has String 'x'",
                assertThrows(IllegalArgumentException.class, () -> ResultsTable.builder("a").row(1).row("x")).getMessage());
        assertEquals("ResultsTable: row 0, column 'a' holds a java.lang.Object; cells must be String, Number or Boolean",
                assertThrows(IllegalArgumentException.class, () -> ResultsTable.builder("a").row(new Object())).getMessage());
        assertEquals("ResultsTable: no column 'bpc'; columns are [a]",
                assertThrows(IllegalArgumentException.class, () -> ResultsTable.builder("a").row(1).build().column("bpc")).getMessage());
        assertEquals("ResultsTable: column 'arm' is not numeric (row 0 holds String 'smoe')",
                assertThrows(IllegalArgumentException.class, () -> runs().column("arm")).getMessage());
        assertEquals("ResultsTable: column names must be distinct, got [a, a]",
                assertThrows(IllegalArgumentException.class, () -> ResultsTable.builder("a", "a")).getMessage());
        assertNull(ResultsTable.builder("a").row((Object) null).build().get(0, "a"));
    }
}
