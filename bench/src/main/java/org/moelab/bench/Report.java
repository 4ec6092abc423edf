package org.moelab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Joins the two sides' result files on (name, size) and writes the Markdown report: an environment header, the
 * table (ours ms, PyTorch ms, ratio = ours / PyTorch, GFLOP/s where FLOPs are known, and each side's spread)
 * and the facts both sides recorded (threads, parameter counts).
 *
 * <p>With a fifth argument, DJL's result files ({@code bench-djl}: DJL on libtorch 2.7.1), the table gains a DJL column
 * and the ratio ours / DJL beside ours / PyTorch (blank where DJL does not mirror a benchmark).
 *
 * <pre>java -cp ... org.moelab.bench.Report ours.1.tsv,ours.2.tsv torch.1.tsv,torch.2.tsv env.tsv results.md [djl.1.tsv,...]</pre>
 */
public final class Report {
    private Report() {}

    /** A result file: its {@code #key value} facts and its measurements, in file order. */
    record ResultFile(Map<String, String> info, List<Measurement> rows) {
        /**
         * Reads one or more files (comma-separated: one per round of bench/run). A benchmark measured in several
         * rounds keeps its best round (lowest median): on a shared, noisy machine the fastest round is the one
         * least disturbed by other processes, and both sides get the same treatment.
         */
        static ResultFile read(String paths) throws IOException {
            Map<String, String> info = new LinkedHashMap<>();
            List<Measurement> rows = new ArrayList<>();
            for (String path : paths.split(",")) {
                Path p = Path.of(path.trim());
                if (path.isBlank() || !Files.exists(p)) continue;
                for (String line : Files.readAllLines(p)) {
                    if (line.isBlank() || line.equals(Measurement.HEADER)) continue;
                    if (line.startsWith("#")) {
                        String[] kv = line.substring(1).split("\t", 2);
                        info.put(kv[0], kv.length > 1 ? kv[1] : "");
                    } else {
                        keepBest(rows, Measurement.parseTsv(line));
                    }
                }
            }
            return new ResultFile(info, rows);
        }

        private static void keepBest(List<Measurement> rows, Measurement m) {
            for (int i = 0; i < rows.size(); i++) {
                Measurement r = rows.get(i);
                if (r.name().equals(m.name()) && r.size().equals(m.size())) {
                    if (m.medianMs() < r.medianMs()) rows.set(i, m);
                    return;
                }
            }
            rows.add(m);
        }

        Measurement find(String name, String size) {
            for (Measurement m : rows) if (m.name().equals(name) && m.size().equals(size)) return m;
            return null;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4 && args.length != 5) {
            throw new IllegalArgumentException("usage: Report ours.tsv[,ours2.tsv...] torch.tsv[,...] env.tsv results.md [djl.tsv[,...]]");
        }
        ResultFile ours = ResultFile.read(args[0]), torch = ResultFile.read(args[1]);
        ResultFile env = ResultFile.read(args[2]);
        ResultFile djl = ResultFile.read(args.length == 5 ? args[4] : "");
        String md = render(ours, torch, djl, env.info());
        Path out = Path.of(args[3]);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        System.out.print(md);
    }

    static String render(ResultFile ours, ResultFile torch, ResultFile djl, Map<String, String> env) {
        boolean withDjl = !djl.rows().isEmpty();
        StringBuilder sb = new StringBuilder("# MoE Lab tensor engine vs PyTorch\n\n");
        env.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("- threads: ours ").append(ours.info().getOrDefault("ours.threads", "?"))
                .append("; PyTorch ")
                .append(torch.info().getOrDefault("torch.threads", "?")).append(" (torch.set_num_threads)\n");
        sb.append("- ours: ").append(ours.info().getOrDefault("ours.jvm", "?")).append(", Vector API float lanes ")
                .append(ours.info().getOrDefault("ours.vector.float.lanes", "?")).append("; PyTorch ")
                .append(torch.info().getOrDefault("torch.version", "?")).append(" (BLAS ")
                .append(torch.info().getOrDefault("torch.blas", "?")).append("), Python ")
                .append(torch.info().getOrDefault("torch.python", "?")).append('\n');
        sb.append("- protocol: warm-up, then per-call median over several samples (each sample repeats the call")
                .append(" until it lasts ≥ 25 ms for micro ops); spread = interquartile range / median; ours and PyTorch")
                .append(" run alternately for ").append(env.getOrDefault("rounds", "1"))
                .append(" round(s) and each keeps its best round\n");
        if (withDjl) {
            sb.append("- DJL: ").append(djl.info().getOrDefault("djl.version", "?")).append(", threads ")
                    .append(djl.info().getOrDefault("djl.threads", "?")).append("; DJL's autograd and AdamW, run after PyTorch in each round\n");
        }
        sb.append('\n');

        sb.append("| op | size | ours ms | PyTorch ms | ratio (ours/PyTorch) | ")
                .append(withDjl ? "DJL ms | ratio (ours/DJL) | " : "")
                .append("ours GFLOP/s | PyTorch GFLOP/s | spread ours / PyTorch |\n");
        sb.append(withDjl ? "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n" : "|---|---|---:|---:|---:|---:|---:|---:|\n");
        List<Measurement> all = new ArrayList<>(ours.rows());
        for (Measurement t : torch.rows()) if (ours.find(t.name(), t.size()) == null) all.add(t);
        for (Measurement row : all) {
            Measurement o = ours.find(row.name(), row.size()), t = torch.find(row.name(), row.size());
            sb.append("| ").append(row.name()).append(" | ").append(row.size()).append(" | ")
                    .append(o == null ? "–" : ms(o.medianMs())).append(" | ")
                    .append(t == null ? "–" : ms(t.medianMs())).append(" | ")
                    .append(o == null || t == null ? "–" : ratio(o.medianMs() / t.medianMs())).append(" | ");
            if (withDjl) {
                Measurement j = djl.find(row.name(), row.size());
                sb.append(j == null ? "–" : ms(j.medianMs())).append(" | ")
                        .append(o == null || j == null ? "–" : ratio(o.medianMs() / j.medianMs())).append(" | ");
            }
            sb.append(gflops(o)).append(" | ").append(gflops(t)).append(" | ")
                    .append(o == null ? "–" : pct(o.spreadPercent())).append(" / ")
                    .append(t == null ? "–" : pct(t.spreadPercent())).append(" |\n");
        }
        sb.append('\n');
        for (String cfg : List.of("lm-small", "lm-large", "loramixer-stage1", "loramixer-stage2")) {
            String po = ours.info().get("ours." + cfg + ".parameters"), pt = torch.info().get("torch." + cfg + ".parameters");
            if (po == null && pt == null) continue;
            sb.append("- ").append(cfg).append(" parameters: ours ").append(po).append(", PyTorch ").append(pt)
                    .append(po != null && po.equals(pt) ? " (identical)" : " (DIFFERENT)")
                    .append("; first-step loss ours ").append(ours.info().get("ours." + cfg + ".first_loss"))
                    .append(", PyTorch ").append(torch.info().get("torch." + cfg + ".first_loss"));
            String pd = djl.info().get("djl." + cfg + ".parameters");
            if (pd != null) sb.append("; DJL parameters ").append(pd).append(pd.equals(po) ? " (identical to ours)" : " (DIFFERENT)");
            sb.append('\n');
        }
        sb.append("- GFLOP/s for a train step counts its matmul FLOPs only (3x forward), as a utilisation figure\n");
        return sb.toString();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 1 ? "%.3f" : v < 100 ? "%.2f" : "%.1f", v);
    }

    private static String ratio(double v) {
        return String.format(Locale.ROOT, v <= 1 ? "**%.2f**" : "%.2f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", v);
    }

    private static String gflops(Measurement m) {
        return m == null || m.flops() <= 0 ? "" : String.format(Locale.ROOT, "%.0f", m.gflops());
    }
}
