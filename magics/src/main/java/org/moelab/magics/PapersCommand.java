package org.moelab.magics;

import java.util.List;
import org.moelab.experiments.Paper;
import org.moelab.experiments.Papers;
import org.moelab.experiments.ResultsTable;

/** {@code %moe papers}: the five papers, their notebooks, pages, claims, and which can be reproduced now. */
public final class PapersCommand implements MoeCommand {
    @Override
    public String name() {
        return "papers";
    }

    @Override
    public String summary() {
        return "list the papers, their notebooks and claims, and which `%moe reproduce` can run";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        ResultsTable.Builder table = ResultsTable.builder("id", "paper", "venue", "notebook", "claim", "reproduce");
        for (Paper p : Papers.ALL) {
            table.row(p.id(), p.title(), p.venue(), p.notebook(), p.claim(), Papers.reproducible(p.id()) ? "%moe reproduce " + p.id() : "coming");
        }
        context.display(table.caption("MoE Lab papers").build());
    }
}
