package org.moelab.experiments;

/** One of the papers MoE Lab reproduces: how to refer to it, where its notebook and page are. */
public record Paper(String id, String title, String authors, String venue, String notebook, String page, String claim) {}
