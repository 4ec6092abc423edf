/**
 * The {@code %moe} magic: a thin dispatcher over {@link org.moelab.magics.MoeCommand}s ({@code help}, {@code env};
 * later issues add {@code papers}, {@code reproduce}...). Commands call kernel-lib's public API, never hold
 * model logic.
 */
package org.moelab.magics;
