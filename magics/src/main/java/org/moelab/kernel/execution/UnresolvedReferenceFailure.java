package org.moelab.kernel.execution;

import java.util.List;

/** A snippet uses a declaration (method, class) that itself refers to something not defined yet. */
public final class UnresolvedReferenceFailure extends RuntimeException {
    public UnresolvedReferenceFailure(String declaration, List<String> missing) {
        super(declaration + " cannot be used until these are defined: " + String.join(", ", missing));
    }
}
