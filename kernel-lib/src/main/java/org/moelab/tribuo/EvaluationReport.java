package org.moelab.tribuo;

import java.util.List;
import java.util.Locale;
import org.moelab.nn.Require;
import org.moelab.viz.HtmlRenderable;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMatrix;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;

/**
 * A Tribuo {@link LabelEvaluation} that renders itself in a notebook: a summary line (accuracy, macro F1, balanced
 * error rate), a per-label precision/recall/F1 table and the confusion matrix (rows true, columns predicted).
 * {@code toString()} is Tribuo's own text table, the kernel's {@code text/plain} fallback.
 *
 * <p>Written here rather than reusing {@code LabelEvaluation.toHTML()}: that one does not escape label names, and
 * has neither macro F1 nor the confusion matrix.
 */
public final class EvaluationReport implements HtmlRenderable {
    private final String title;
    private final LabelEvaluation evaluation;

    private EvaluationReport(String title, LabelEvaluation evaluation) {
        this.title = title;
        this.evaluation = Require.notNull("EvaluationReport", "evaluation", evaluation);
    }

    public static EvaluationReport of(LabelEvaluation evaluation) {
        return new EvaluationReport(null, evaluation);
    }

    public static EvaluationReport of(String title, LabelEvaluation evaluation) {
        return new EvaluationReport(title, evaluation);
    }

    /** Evaluates {@code model} on {@code test} with Tribuo's {@link LabelEvaluator}; titled with the model's name. */
    public static EvaluationReport evaluate(Model<Label> model, Dataset<Label> test) {
        return new EvaluationReport(model.getName(), new LabelEvaluator().evaluate(model, test));
    }

    public LabelEvaluation evaluation() {
        return evaluation;
    }

    public double accuracy() {
        return evaluation.accuracy();
    }

    public double macroF1() {
        return evaluation.macroAveragedF1();
    }

    @Override
    public String toHtml() {
        ConfusionMatrix<Label> cm = evaluation.getConfusionMatrix();
        List<Label> labels = cm.getLabelOrder();
        StringBuilder sb = new StringBuilder("<div class=\"moelab-evaluation\">");
        if (title != null) sb.append("<b>").append(HtmlRenderable.escape(title)).append("</b><br>");
        sb.append(String.format(Locale.ROOT, "accuracy <b>%.4f</b> &middot; macro F1 %.4f &middot; balanced error rate %.4f &middot; n = %d",
                evaluation.accuracy(), evaluation.macroAveragedF1(), evaluation.balancedErrorRate(), (long) cm.support()));

        sb.append("<table><tr><th>label</th><th>n</th><th>precision</th><th>recall</th><th>F1</th></tr>");
        for (Label label : labels) {
            sb.append("<tr><td><code>").append(HtmlRenderable.escape(label.getLabel())).append("</code></td>")
                    .append(String.format(Locale.ROOT, "<td>%d</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>",
                            (long) cm.support(label), evaluation.precision(label), evaluation.recall(label), evaluation.f1(label)));
        }
        sb.append("</table>");

        sb.append("<table><caption>confusion matrix (rows: true, columns: predicted)</caption><tr><th></th>");
        for (Label predicted : labels) sb.append("<th>").append(HtmlRenderable.escape(predicted.getLabel())).append("</th>");
        sb.append("</tr>");
        for (Label truth : labels) {
            sb.append("<tr><th>").append(HtmlRenderable.escape(truth.getLabel())).append("</th>");
            for (Label predicted : labels) {
                long count = (long) cm.confusion(predicted, truth);
                String style = predicted.equals(truth) ? " style=\"font-weight:bold\"" : "";
                sb.append("<td").append(style).append('>').append(count).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</table></div>").toString();
    }

    @Override
    public String toString() {
        return (title == null ? "" : title + "\n") + evaluation;
    }

}
