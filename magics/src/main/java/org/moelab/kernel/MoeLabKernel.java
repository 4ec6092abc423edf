package org.moelab.kernel;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.DisplayStream;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.magic.common.DisplayMagics;
import io.github.spencerpark.jupyter.kernel.magic.common.Load;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.comm.Comm;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.CommInfoReply;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import io.github.spencerpark.jupyter.messages.request.CommInfoRequest;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import io.github.spencerpark.jupyter.messages.request.InterruptRequest;
import io.github.spencerpark.jupyter.messages.request.KernelInfoRequest;
import io.github.spencerpark.jupyter.messages.request.ShutdownRequest;
import org.moelab.kernel.assist.CodeAssist;
import org.moelab.kernel.assist.MagicCompleter;
import org.moelab.kernel.display.DisplayListener;
import org.moelab.kernel.display.NotebookLiveDisplay;
import org.moelab.kernel.display.Renderers;
import org.moelab.kernel.errors.ErrorFormatter;
import org.moelab.kernel.execution.CellResult;
import org.moelab.kernel.execution.JavaEvaluator;
import org.moelab.kernel.execution.MagicsSourceTransformer;
import org.moelab.kernel.magics.ClasspathMagics;
import org.moelab.kernel.magics.MavenMagics;
import org.moelab.kernel.runtime.Notebook;
import org.moelab.kernel.wire.CellOutput;
import org.moelab.kernel.wire.ExecuteHandler;
import org.moelab.kernel.wire.KernelComms;
import org.moelab.kernel.wire.OutputPolicy;
import org.moelab.kernel.wire.Replies;
import org.moelab.lab.LabEnvironment;
import org.moelab.lab.LiveDisplay;
import org.moelab.magics.MoeMagics;
import org.moelab.tensor.Kernels;

/**
 * The MoE Lab Java kernel: an IJava-compatible JShell kernel on jupyter-jvm-basekernel. It wires the parts and
 * answers Jupyter's requests; evaluation, assistance, error formatting and magics live in their own classes.
 */
public class MoeLabKernel extends BaseKernel {
    private final JavaEvaluator evaluator;
    private final MagicsSourceTransformer magicsTransformer = new MagicsSourceTransformer(Map.of("moe", MoeMagics.BINDING_TYPE));
    private final Magics magics = new Magics();
    private final RegisteredMagics registeredMagics = new RegisteredMagics(magics);
    private final CodeAssist assist;
    private final ErrorFormatter errorFormatter;
    private final KernelExtensions extensions = new KernelExtensions();
    private volatile DisplayListener displayListener = DisplayListener.NONE;
    private final CompletableFuture<Void> startup;
    private final OutputPolicy outputPolicy;
    /** Set when a cell evaluated over the wire fails (read by the execute handler for stop_on_error). */
    private volatile boolean cellFailed;

    public MoeLabKernel(KernelOptions options) {
        this.evaluator = new JavaEvaluator(options.compilerOptions(), options.stopGrace());
        this.assist = new CodeAssist(evaluator.analysis(), registeredMagics);
        this.errorFormatter = new ErrorFormatter(errorStyler);
        this.outputPolicy = options.output();
        this.commManager = new KernelComms();
        Renderers.registerDefaults(getRenderer());
        LiveDisplay.install(new NotebookLiveDisplay(this));
        registerMagics(options);
        Notebook.attach(this);
        // The default imports take JShell's first compilation, about 3 s of javac warm-up. Doing it in the
        // background lets Jupyter see the kernel as ready at once; the first request waits for it if needed.
        this.startup = CompletableFuture.runAsync(this::runStartup, runnable -> {
            Thread thread = new Thread(runnable, "moelab-kernel-startup");
            thread.setDaemon(true);
            thread.start();
        });
        warmUp();
    }

    /**
     * Runs the slow one-time class initialisations of training and charts off the cell thread: OpenBLAS (the first
     * GEMM: JavaCPP's native loading, a second or more) and Java2D's renderer and fonts (the first chart). Otherwise an
     * interrupt of the first training cell can force-stop that thread inside such an initialiser, which leaves the
     * class unusable for the kernel's life (measured: every later training cell failed with "Could not initialize
     * class BlasGemm", every later chart with "... sun.java2d.marlin.RendererContext"). A cell that needs a class
     * sooner waits for this thread's initialisation, and a stop of a waiting cell does not poison the class.
     */
    private static void warmUp() {
        Thread thread = new Thread(() -> {
            Kernels.current().gemm(false, false, 1, 1, 1, 1f, new float[1], 0, new float[1], 0, 0f, new float[1], 0);
            java.awt.Graphics2D g = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_ARGB).createGraphics();
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g.draw(new java.awt.geom.Line2D.Double(0, 0, 15, 15));
            g.drawString("0", 2, 12);
            g.dispose();
        }, "moelab-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    public MoeLabKernel() {
        this(KernelOptions.fromEnvironment());
    }

    private void registerMagics(KernelOptions options) {
        magics.registerMagics(new Load(List.of(".jsh", ".jshell", ".java", ".ijava"), code -> evalRaw(code)));
        // %%html, %%markdown, %%latex, %%svg, %%javascript; routed through display() so that in-process runs
        // (tests, the notebook runner) see their output as well as Jupyter.
        magics.registerMagics(new DisplayMagics(getRenderer(), new DisplayStream() {
            @Override
            public void display(DisplayData data) {
                MoeLabKernel.this.display(data);
            }
        }));
        magics.registerMagics(new ClasspathMagics(this::addToClasspath));
        magics.registerMagics(new MavenMagics(this::addToClasspath, options.mavenOffline()));
        MoeMagics moe = new MoeMagics(this);
        magics.registerMagics(moe);
        registeredMagics.completer("moe", new MagicCompleter() {
            @Override
            public List<String> arguments(List<String> before) {
                return moe.completeArguments(before);
            }

            @Override
            public List<String> cellArguments(List<String> before) {
                return moe.completeCellArguments(before);
            }

            @Override
            public List<String> cellKeys(List<String> header, String body) {
                return moe.completeCellKeys(header, body);
            }

            @Override
            public List<String> cellValues(List<String> header, String key, String body) {
                return moe.completeCellValues(header, key, body);
            }
        });
    }

    private void runStartup() {
        String imports = String.join("\n", DefaultImports.statements(getClass().getClassLoader()));
        evaluator.eval(imports);
        extensions.installFrom(getClass().getClassLoader(), this);
    }

    /** Blocks until the start-up imports and extensions are in; rethrows their failure. */
    private void awaitStartup() {
        try {
            startup.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("The kernel's start-up code failed: " + e.getCause(), e.getCause());
        }
    }

    /** Evaluates a cell and renders its value; {@code null} when the cell has no value to show. */
    @Override
    public DisplayData eval(String code) throws Exception {
        CellResult result;
        try {
            result = evalRaw(code);
        } catch (Exception | Error e) {
            cellFailed = true;
            throw e;
        } finally {
            flushStandardStreams(); // the cell's printed text goes out before its result or error
        }
        if (!result.hasValue()) {
            return null;
        }
        Object value = result.value();
        if (value instanceof DisplayData) {
            return (DisplayData) value;
        }
        return getRenderer().render(value);
    }

    /** Evaluates a cell (magics included) and returns its live value. */
    public CellResult evalRaw(String code) {
        awaitStartup();
        Notebook.attach(this);
        return evaluator.eval(magicsTransformer.transform(code));
    }

    public Magics getMagics() {
        return magics;
    }

    /** Adds jars or class folders to the notebook, then installs any {@link KernelExtension} they bring. */
    public void addToClasspath(List<Path> paths) {
        evaluator.addToClasspath(paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        URL[] urls = paths.stream().map(MoeLabKernel::toUrl).toArray(URL[]::new);
        extensions.installFrom(new URLClassLoader(urls, getClass().getClassLoader()), this);
    }

    @Override
    public void display(DisplayData data) {
        flushStandardStreams();
        super.display(data);
        displayListener.displayed(data);
    }

    public void updateDisplay(String id, DisplayData data) {
        flushStandardStreams();
        getIO().display.updateDisplay(id, data);
        displayListener.updated(id, data);
    }

    /** Text printed before a display must appear before it; Jupyter's stream publishes only on flush. */
    private static void flushStandardStreams() {
        System.out.flush();
        System.err.flush();
    }

    /** For in-process runs: every display goes to {@code listener} as well as to Jupyter. */
    public void setDisplayListener(DisplayListener listener) {
        this.displayListener = listener == null ? DisplayListener.NONE : listener;
    }

    /** The execute handler installs batched output streams itself ({@link ExecuteHandler}). */
    @Override
    public boolean shouldReplaceStdStreams() {
        return false;
    }

    /**
     * basekernel's handlers, with the protocol fixes of issue 14: execute with batched output and stop_on_error
     * aborts, and replies that carry {@code status}.
     */
    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        ShellHandler<ExecuteRequest> basekernelExecute = connection.getHandler(MessageType.EXECUTE_REQUEST);
        connection.setHandler(MessageType.EXECUTE_REQUEST, new ExecuteHandler(connection, basekernelExecute,
                outputPolicy, getIO().in, new ExecuteHandler.Cells() {
                    @Override
                    public void begin(CellOutput output) {
                        cellFailed = false;
                    }

                    @Override
                    public boolean cellFailed() {
                        return cellFailed;
                    }
                }));
        connection.setHandler(MessageType.KERNEL_INFO_REQUEST, this::kernelInfo);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, this::commInfo);
        connection.setHandler(MessageType.INTERRUPT_REQUEST, this::interruptRequest);
        connection.setHandler(MessageType.SHUTDOWN_REQUEST, this::shutdownRequest);
    }

    private void kernelInfo(ShellReplyEnvironment env, Message<KernelInfoRequest> request) {
        env.setBusyDeferIdle();
        env.reply(new Message<>(request, KernelInfoReply.MESSAGE_TYPE, new Replies.KernelInfo(Header.PROTOCOL_VERISON,
                "moelab-java", LabEnvironment.version(), getLanguageInfo(), getBanner(), getHelpLinks())));
    }

    private void commInfo(ShellReplyEnvironment env, Message<CommInfoRequest> request) {
        env.setBusyDeferIdle();
        String target = request.getContent().getTargetName();
        Map<String, CommInfoReply.CommInfo> open = new LinkedHashMap<>();
        for (Comm comm : commManager) {
            if (target == null || target.equals(comm.getTargetName())) {
                open.put(comm.getID(), new CommInfoReply.CommInfo(comm.getTargetName()));
            }
        }
        env.reply(new Message<>(request, CommInfoReply.MESSAGE_TYPE, new Replies.CommInfo(open)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void interruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> request) {
        env.setBusyDeferIdle();
        env.defer().reply(new Message(request, MessageType.INTERRUPT_REPLY, new Replies.Ok()));
        interrupt();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void shutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> request) {
        boolean restart = request.getContent().isRestart();
        env.setBusyDeferIdle();
        env.defer().reply(new Message(request, MessageType.SHUTDOWN_REPLY, new Replies.Shutdown(restart)));
        onShutdown(restart);
        env.resolveDeferrals();
        env.markForShutdown();
    }

    @Override
    public void interrupt() {
        evaluator.interrupt();
    }

    @Override
    public List<String> formatError(Exception e) {
        return errorFormatter.format(e);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        awaitStartup();
        return assist.complete(code, at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        awaitStartup();
        return assist.inspect(code, at, extraDetail);
    }

    @Override
    public String isComplete(String code) {
        return assist.isComplete(code);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo.Builder("Java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("text/x-java")
                .build();
    }

    @Override
    public String getBanner() {
        return "MoE Lab " + LabEnvironment.version() + " - Java " + Runtime.version() + " (JShell)";
    }

    @Override
    public List<LanguageInfo.Help> getHelpLinks() {
        return List.of(new LanguageInfo.Help("Java API", "https://docs.oracle.com/en/java/javase/17/docs/api/"),
                new LanguageInfo.Help("XChart", "https://knowm.org/open-source/xchart/"));
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        evaluator.close();
    }

    private static URL toUrl(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path.toString(), e);
        }
    }
}
