package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MagicsTest {
    private final KernelSession session = new KernelSession();

    @AfterAll
    void close() {
        session.close();
    }

    private DisplayData lastDisplayed() {
        return session.displayed.get(session.displayed.size() - 1);
    }

    @Test
    void moeEnvShowsRealValues() throws Exception {
        session.eval("%moe env");
        DisplayData shown = lastDisplayed();
        String text = (String) shown.getData(MIMEType.TEXT_PLAIN);
        String html = (String) shown.getData(MIMEType.TEXT_HTML);
        assertTrue(text.contains("CpuBackend"), text);
        assertTrue(text.contains("1.0.0-M2.1") && text.contains("4.3.2") && text.contains("3.8.8"), text);
        assertTrue(text.contains("default seed") && text.contains("heap max") && text.contains("javacpp maxbytes"), text);
        assertTrue(text.contains(Runtime.version().toString()), text);
        assertTrue(html.startsWith("<table"), html);
    }

    @Test
    void moeHelpListsSubcommandsAndUnknownOnesFail() throws Exception {
        String help = session.printed("%moe help");
        assertTrue(help.contains("env") && help.contains("help"), help);
        Exception error = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> session.eval("%moe nope"));
        assertTrue(String.join("\n", session.kernel.formatError(error)).contains("Unknown %moe command"));
    }

    @Test
    void lineMagicsMixWithCodeAndCanBeAssigned() throws Exception {
        String printed = session.printed("int before = 1;\n%moe help\nSystem.out.println(\"after \" + before);");
        assertTrue(printed.contains("after 1"), printed);
    }

    @Test
    void htmlCellMagicDisplaysHtml() throws Exception {
        session.eval("%%html\n<b>bold</b>");
        assertEquals("<b>bold</b>", lastDisplayed().getData(MIMEType.TEXT_HTML));
        session.eval("%%markdown\n# Title");
        assertEquals("# Title", lastDisplayed().getData(MIMEType.TEXT_MARKDOWN));
    }

    @Test
    void loadRunsAFile(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("helpers.jsh");
        Files.writeString(script, "int loadedValue = 99;\nint triple(int v) { return 3 * v; }\n");
        session.eval("%load " + script);
        assertEquals("297", session.eval("triple(loadedValue)"));
    }

    @Test
    void classpathAddsCompiledClasses(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("src/probe/Greeter.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package probe; public class Greeter { public static String hi() { return \"hi from probe\"; } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertEquals(0, status);
        session.eval("List<String> added = %classpath " + classes);
        assertEquals("hi from probe", session.eval("probe.Greeter.hi()"));
        assertEquals("1", session.eval("added.size()"));
    }

    @Test
    void mavenResolvesFromTheLocalRepositoryWithTransitiveDependencies() throws Exception {
        LocalRepositoryProbe probe = LocalRepositoryProbe.install();
        session.eval("List<String> jars = %maven " + probe.coordinates() + " --offline");
        assertEquals("2", session.eval("jars.size()"), "the artifact and its dependency");
        assertEquals("probe-b says hi", session.eval("org.moelab.probe.a.A.greet()"));
    }

    @Test
    void xchartChartsRenderAsPngAndOnRequestSvg() throws Exception {
        session.eval("var chart = new XYChartBuilder().width(300).height(200).title(\"t\").build();\n"
                + "chart.addSeries(\"s\", new double[] {1, 2, 3}, new double[] {3, 1, 2});");
        DisplayData png = session.evalData("chart");
        String base64 = (String) png.getData(MIMEType.IMAGE_PNG);
        assertTrue(base64 != null && base64.startsWith("iVBORw0KGgo"), "PNG magic in base64");
        DisplayData svg = session.evalData("render(chart, \"image/svg+xml\")");
        assertTrue(((String) svg.getData(MIMEType.IMAGE_SVG)).contains("<svg"));
        assertFalse(svg.hasDataForType(MIMEType.IMAGE_PNG));
    }

    @Test
    void bufferedImagesAndHtmlRenderablesRender() throws Exception {
        DisplayData image = session.evalData("new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB)");
        assertTrue(image.hasDataForType(MIMEType.IMAGE_PNG));
        DisplayData html = session.evalData("new org.moelab.viz.HtmlRenderable() { public String toHtml() { return \"<i>x</i>\"; } public String toString() { return \"x\"; } }");
        assertEquals("<i>x</i>", html.getData(MIMEType.TEXT_HTML));
        assertEquals("x", html.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void displayAndUpdateDisplayReachTheFrontEnd() throws Exception {
        int before = session.displayed.size();
        session.eval("String id = display(\"step 1\");\nupdateDisplay(id, \"step 2\");");
        List<DisplayData> shown = session.displayed.subList(before, session.displayed.size());
        assertEquals(2, shown.size());
        assertEquals("step 2", shown.get(1).getData(MIMEType.TEXT_PLAIN));
        assertEquals(shown.get(0).getDisplayId(), shown.get(1).getDisplayId());
    }

    @Test
    void liveDisplaysFromKernelLibUpdateInPlace() throws Exception {
        int before = session.displayed.size();
        session.eval("var handle = org.moelab.lab.LiveDisplay.current().show(\"0%\");\nhandle.finish(\"100%\");");
        List<DisplayData> shown = session.displayed.subList(before, session.displayed.size());
        assertEquals(2, shown.size());
        assertEquals("100%", shown.get(1).getData(MIMEType.TEXT_PLAIN));
        assertEquals(shown.get(0).getDisplayId(), shown.get(1).getDisplayId());
    }
}
