package org.moelab.kernel.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The parsed command line of {@link KernelspecInstaller}. */
public record InstallRequest(Target target, Path prefix, String name, String classpath, List<String> extraJvmOptions,
                             boolean help) {

    public enum Target { USER, SYS_PREFIX, PREFIX }

    static final String USAGE = String.join("\n",
            "usage: install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--classpath CP] [--jvm-opts OPTS]",
            "  --user         install for the current user (default)",
            "  --sys-prefix   install into Jupyter's sys.prefix (through jupyter-kernelspec)",
            "  --prefix DIR   install into DIR/share/jupyter/kernels",
            "  --name NAME    kernelspec name (default " + KernelspecInstaller.DEFAULT_NAME + ")",
            "  --classpath CP the kernel's launch class path (default: this installer's)",
            "  --jvm-opts OPTS extra JVM options, after the defaults so they win (default: $MOELAB_JVM_OPTS)");

    public static InstallRequest parse(String... args) {
        Target target = Target.USER;
        Path prefix = null;
        String name = KernelspecInstaller.DEFAULT_NAME;
        String classpath = System.getProperty("java.class.path");
        String jvmOptions = System.getenv().getOrDefault("MOELAB_JVM_OPTS", "");
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> target = Target.USER;
                case "--sys-prefix" -> target = Target.SYS_PREFIX;
                case "--prefix" -> {
                    target = Target.PREFIX;
                    prefix = Path.of(value(args, ++i));
                }
                case "--name" -> name = value(args, ++i);
                case "--classpath" -> classpath = value(args, ++i);
                case "--jvm-opts" -> jvmOptions = value(args, ++i);
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        return new InstallRequest(target, prefix, name, absolute(classpath), split(jvmOptions), help);
    }

    /** Where {@code kernels/} lives for this target (not used for {@code --sys-prefix}). */
    Path kernelsDirectory() {
        if (target == Target.PREFIX) {
            return prefix.resolve("share/jupyter/kernels");
        }
        String dataDir = System.getenv("JUPYTER_DATA_DIR");
        Path base = dataDir != null && !dataDir.isBlank()
                ? Path.of(dataDir)
                : home().resolve(".local/share/jupyter");
        return base.resolve("kernels");
    }

    /** $HOME as Jupyter sees it; Java's user.home comes from the password database and ignores $HOME. */
    private static Path home() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static List<String> split(String options) {
        List<String> list = new ArrayList<>();
        for (String option : options.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                list.add(option);
            }
        }
        return list;
    }

    /** kernel.json is used from Jupyter's working directory, so every class path entry must be absolute. */
    private static String absolute(String classpath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            boolean wildcard = entry.endsWith("*");
            String base = wildcard ? entry.substring(0, entry.length() - 1) : entry;
            String resolved = Path.of(base.isEmpty() ? "." : base).toAbsolutePath().normalize().toString();
            entries.add(wildcard ? resolved + java.io.File.separator + "*" : resolved);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
