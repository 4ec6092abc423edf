package org.moelab.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.moelab.viz.HtmlRenderable;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.classification.evaluation.LabelEvaluator;

class EvaluationReportTest {

    @Test
    void htmlShowsAccuracyMacroF1AndEscapedLabels() {
        MutableDataset<Label> train = TestData.blobs(150, 31, "a<b", "Tom & Jerry", "\"quoted\"");
        MutableDataset<Label> test = TestData.blobs(90, 32, "a<b", "Tom & Jerry", "\"quoted\"");
        MoeClassifierModel model = MoeClassifierTrainer.builder().epochs(10).build().train(train);
        EvaluationReport report = EvaluationReport.evaluate(model, test);
        assertTrue(report instanceof HtmlRenderable);
        String html = report.toHtml();
        assertTrue(html.contains(String.format(Locale.ROOT, "%.4f", report.accuracy())), html);
        assertTrue(html.contains(String.format(Locale.ROOT, "%.4f", report.macroF1())), html);
        assertEquals(new LabelEvaluator().evaluate(model, test).accuracy(), report.accuracy(), 1e-12);
        assertTrue(html.contains("a&lt;b") && html.contains("Tom &amp; Jerry") && html.contains("&quot;quoted&quot;"), html);
        assertFalse(html.contains("a<b") || html.contains("Tom & Jerry") || html.contains("\"quoted\""), html);
        assertTrue(html.contains("<b>moe-classifier</b>"), html);
        assertTrue(report.toString().contains("Accuracy"), report.toString());
    }

    @Test
    void confusionMatrixRowsAreTrueLabelsAndColumnsPredictions() {
        MutableDataset<Label> data = TestData.blobs(30, 33);
        // Always predicts "north": every example lands in the "north" column of its true row.
        Model<Label> constant = DummyClassifierTrainer.createConstantTrainer("north").train(data);
        String html = EvaluationReport.of("constant", new LabelEvaluator().evaluate(constant, data)).toHtml();
        String matrix = html.substring(html.indexOf("<caption>"));
        // Tribuo orders labels by name (east, north, west): each true row has its 10 examples in the north column.
        assertTrue(matrix.contains("<tr><th></th><th>east</th><th>north</th><th>west</th></tr>"), matrix);
        assertTrue(matrix.contains("<tr><th>east</th><td style=\"font-weight:bold\">0</td><td>10</td><td>0</td></tr>"), matrix);
        assertTrue(matrix.contains("<tr><th>north</th><td>0</td><td style=\"font-weight:bold\">10</td><td>0</td></tr>"), matrix);
        assertTrue(matrix.contains("<tr><th>west</th><td>0</td><td>10</td><td style=\"font-weight:bold\">0</td></tr>"), matrix);
        assertTrue(html.contains("accuracy <b>0.3333</b>"), html);
    }
}
