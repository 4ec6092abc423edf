package org.moelab.tensor;

/** Broadcasting binary arithmetic. */
public enum Binary {
    ADD, SUB, MUL, DIV
}
