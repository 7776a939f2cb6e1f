package org.ltz4d.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.engine.StageInfo;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.param.OptionTokens;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;

/**
 * {@code ltz4d-spark.jar analyze FILE --pipeline NAME [the options of ltz4d analyze] --out DIR}:
 * the driver of a Spark run. Runner options, before or after {@code analyze}: {@code --master URL}
 * (else spark-submit's), {@code --plugins DIR} (user bundles shipped to the executors; default
 * {@code $LTZ4D_HOME/plugins} or {@code ~/.ltz4d/plugins}), {@code --rows-per-partition N}. Every
 * other {@code --option} is a parameter of the pipeline, checked by the engine as in
 * {@code ltz4d analyze}. The driver's engine checks, runs the fitters' set-up, derivers and
 * correlators and writes {@code DIR/results.h5} (staged, moved into place only when complete); the
 * executors fit the frames.
 */
public final class SparkMain {
    static final String USAGE = "usage: ltz4d-spark.jar [--master URL] [--plugins DIR] [--rows-per-partition N] "
            + "analyze FILE --pipeline NAME --out DIR [--OPTION VALUE ...]";

    private SparkMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        // always exit: the driver's embedded Felix (stopped by a shutdown hook) has non-daemon threads
        // that would keep the JVM alive after the results are written
        System.exit(code);
    }

    /** Runs the command; 0 when the results were written, 1 for bad usage, 2 for an ltz4d error. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> runner = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.startsWith("--") ? a.substring(2) : null;
            if (name != null && List.of("master", "plugins", "rows-per-partition", "pipeline", "out", "app-name").contains(name)) {
                if (i + 1 >= args.length) {
                    err.println("ltz4d-spark: --" + name + " needs a value\n" + USAGE);
                    return 1;
                }
                runner.put(name, args[++i]);
            } else if (command == null && name == null) {
                command = a;
            } else {
                rest.add(a);
            }
        }
        if (!"analyze".equals(command) || rest.isEmpty() || rest.get(0).startsWith("--") || !runner.containsKey("pipeline")
                || !runner.containsKey("out")) {
            err.println(USAGE);
            return 1;
        }
        try {
            RunSummary s = analyze(runner, rest, out);
            out.println("results: " + s.results() + " (" + s.frames() + " frames, " + s.failedPositions() + " failed, "
                    + String.format("%.1f s", s.seconds()) + ")");
            for (String w : s.warnings()) out.println("warning: " + w);
            return 0;
        } catch (Ltz4dException e) {
            err.println("ltz4d-spark: " + e.getMessage());
            return 2;
        }
    }

    private static RunSummary analyze(Map<String, String> runner, List<String> rest, PrintStream out) {
        String input = rest.get(0);
        List<PluginBundle> plugins = PluginBundle.of(pluginFolder(runner.get("plugins")));
        Engine engine = EmbeddedRuntime.engine(plugins);
        String pipeline = runner.get("pipeline");
        Parameters params = parse(rest.subList(1, rest.size()), flags(engine, pipeline));
        int rows = runner.containsKey("rows-per-partition") ? positive(runner.get("rows-per-partition")) : 0;
        SparkConf conf = new SparkConf().setAppName(runner.getOrDefault("app-name", "ltz4d analyze " + Path.of(input).getFileName()));
        if (runner.containsKey("master")) conf.setMaster(runner.get("master"));
        if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel(System.getProperty("ltz4d.spark.log", "WARN"));
            out.println("ltz4d-spark: " + sc.master() + ", " + sc.defaultParallelism() + " cores; " + plugins.size() + " plugin bundle(s)");
            Path file = Path.of(withDefaultAuthority(input, HadoopStorage.configuration()));
            return analyze(sc, new AnalysisRequest(file, pipeline, params, Path.of(runner.get("out"))), plugins, rows);
        }
    }

    private static final java.util.regex.Pattern NO_AUTHORITY = java.util.regex.Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*):///(.*)");

    /**
     * An input {@code SCHEME:///path} — on the cluster's default file system, with no authority — as
     * {@code SCHEME://AUTHORITY/path} with the authority of Hadoop's {@code fs.defaultFS} (from
     * {@code core-site.xml} or {@code --conf spark.hadoop.fs.defaultFS=…}): a path, which the input
     * becomes, would fold the {@code ///} and lose where the authority goes. Other inputs unchanged.
     */
    static String withDefaultAuthority(String input, org.apache.hadoop.conf.Configuration hadoop) {
        java.util.regex.Matcher m = NO_AUTHORITY.matcher(input);
        if (!m.matches() || m.group(1).equalsIgnoreCase("file")) return input;
        java.net.URI def = org.apache.hadoop.fs.FileSystem.getDefaultUri(hadoop);
        if (!m.group(1).equalsIgnoreCase(def.getScheme()) || def.getAuthority() == null) {
            throw new InvalidParameterException("FILE", m.group(1) + "://AUTHORITY/path, or " + m.group(1)
                    + ":///path with fs.defaultFS on that scheme (now " + def + "; set it in core-site.xml or with "
                    + "--conf spark.hadoop.fs.defaultFS=" + m.group(1) + "://HOST:PORT)", input);
        }
        return def.getScheme() + "://" + def.getAuthority() + "/" + m.group(2);
    }

    /**
     * Runs an analysis with the fitter passes on {@code sc}'s executors: the driver's embedded engine
     * checks it, runs the set-up, derives, correlates and writes the results.
     */
    public static RunSummary analyze(JavaSparkContext sc, AnalysisRequest request, List<PluginBundle> plugins, int rowsPerPartition) {
        Engine engine = EmbeddedRuntime.engine(plugins);
        return engine.analyze(request, (stage, done, total) -> { }, new Cancellation(),
                new SparkBlockFitter(sc, plugins, rowsPerPartition));
    }

    /** The plugin folder of the local runtime: {@code $LTZ4D_HOME/plugins}, else {@code ~/.ltz4d/plugins}. */
    static Path pluginFolder(String given) {
        if (given != null) return Path.of(given);
        String home = System.getenv("LTZ4D_HOME");
        return home != null ? Path.of(home, "plugins") : Path.of(System.getProperty("user.home"), ".ltz4d", "plugins");
    }

    private static int positive(String s) {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) return v;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidParameterException("rows-per-partition", "a whole number of scan rows ≥ 1", s);
    }

    /** Names of the pipeline's switches (parameters without a value), over every stage. */
    private static Set<String> flags(Engine engine, String pipeline) {
        List<ParameterSpec> all = new ArrayList<>(engine.pipelineParameters(pipeline, Parameters.empty()));
        for (StageInfo s : engine.stages(pipeline)) all.addAll(s.parameters());
        Set<String> out = new HashSet<>();
        for (ParameterSpec p : all) if (p.type() == ParameterSpec.Type.BOOLEAN) out.add(p.name());
        return out;
    }

    /**
     * {@code --name value}, {@code --name=value} and {@code --flag}, read by the same
     * {@link OptionTokens} as {@code ltz4d analyze}; anything else than options is refused (one
     * input FILE per run).
     */
    static Parameters parse(List<String> tokens, Set<String> flags) {
        OptionTokens t = OptionTokens.parse(tokens, flags::contains);
        if (!t.positional().isEmpty()) {
            throw new InvalidParameterException(t.positional().get(0), "an --option (only one input FILE is analysed)", null);
        }
        return t.parameters();
    }
}
