/**
 * How values look in a notebook: renderers added to basekernel's (XChart, HtmlRenderable), the notebook
 * implementation of kernel-lib's LiveDisplay, and a listener so in-process runs can record displays.
 */
package org.moelab.kernel.display;
