package org.moelab.magics;

import java.util.List;
import org.moelab.experiments.MoeCell;
import org.moelab.experiments.Paper;
import org.moelab.experiments.Papers;
import org.moelab.report.ResultsTable;

/** {@code %moe papers}: the five papers, their notebooks, pages, claims, and which can be reproduced now. */
public final class PapersCommand implements MoeCommand {
    @Override
    public String name() {
        return "papers";
    }

    @Override
    public String summary() {
        return "list the papers, their notebooks and claims, the `%moe reproduce` line and the `%%moe` cell that trains each paper's method";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        ResultsTable.Builder table = ResultsTable.builder("id", "paper", "venue", "notebook", "claim", "reproduce", "%%moe cell (its method, one seed)");
        for (Paper p : Papers.ALL) {
            table.row(p.id(), p.title(), p.venue(), p.notebook(), p.claim(), Papers.reproducible(p.id()) ? "%moe reproduce " + p.id() : "coming",
                    "%%moe --as " + p.id().replace("-", "") + " · " + MoeCell.quickCell(p.id()).replace("\n", " · "));
        }
        context.display(table.caption("MoE Lab papers").build());
    }
}
