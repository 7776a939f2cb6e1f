package org.ltz4d.engine.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.analysis.Stage;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.engine.StageInfo;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.StageNotEnabledException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.internal.PluginRegistry.Entry;
import org.ltz4d.engine.internal.PluginRegistry.Kind;

/**
 * The parameters of a pipeline, by stage: what a run with given parameters accepts, every stage
 * with its parameters (help, GUIs), the check of a run's parameters — a parameter of a stage the
 * options do not enable is answered with what enables it, a truly unknown one with every known
 * name — and the one-line warnings for expected stages a run skips (B without a reference).
 */
public final class PipelineParameters {
    private final PluginRegistry registry;

    public PipelineParameters(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * Every parameter an analysis with this pipeline and these parameters accepts: the engine's,
     * every reader's, the pipeline's and those of each plugin its plan names.
     */
    public List<ParameterSpec> accepted(String pipelineName, Parameters params) {
        Entry entry = pipeline(pipelineName);
        Pipeline pipeline = (Pipeline) entry.plugin();
        Plan plan = guard(entry, () -> pipeline.plan(params));
        List<ParameterSpec> out = new ArrayList<>(EngineParameters.SPECS);
        out.addAll(guard(entry, pipeline::parameters));
        for (Entry e : registry.all(Kind.READER)) out.addAll(((DatasetReader) e.plugin()).parameters());
        for (List<String> pass : plan.passes()) for (String n : pass) out.addAll(of(Kind.FITTER, n));
        for (String n : plan.derivers()) out.addAll(of(Kind.DERIVER, n));
        for (String n : plan.correlators()) out.addAll(of(Kind.CORRELATOR, n));
        return distinct(out);
    }

    /** Every stage the pipeline declares, with the parameters of its plugins (each under the first stage declaring it). */
    public List<StageInfo> stages(String pipelineName) {
        Entry entry = pipeline(pipelineName);
        Set<String> seen = new LinkedHashSet<>();
        List<StageInfo> out = new ArrayList<>();
        for (Stage s : guard(entry, ((Pipeline) entry.plugin())::stages)) {
            List<ParameterSpec> specs = new ArrayList<>();
            for (ParameterSpec p : parametersOf(s)) if (seen.add(p.name())) specs.add(p);
            out.add(new StageInfo(s.name(), s.description(), s.enabledBy(), s.plugins(), specs));
        }
        return out;
    }

    /**
     * Checks a run's parameters against those it accepts ({@code known}): a name only stages that
     * these parameters do not enable declare throws {@link StageNotEnabledException}; any other
     * unknown name throws listing every parameter of the pipeline; then every value is checked.
     */
    public void check(Pipeline pipeline, Parameters params, List<ParameterSpec> known) {
        List<String> unknown = params.unknown(known);
        if (!unknown.isEmpty()) {
            List<Stage> stages = stagesOf(pipeline);
            Set<String> all = new java.util.TreeSet<>();
            known.forEach(p -> all.add(p.name()));
            for (String name : unknown) {
                for (Stage s : stages) {
                    List<ParameterSpec> ps = parametersOf(s);
                    ps.forEach(p -> all.add(p.name()));
                    if (!s.isEnabled(params) && ps.stream().anyMatch(p -> p.name().equals(name))) {
                        throw new StageNotEnabledException(name, s.name(), s.enabledBy());
                    }
                }
            }
            throw new InvalidParameterException(unknown.get(0), "a parameter this pipeline knows (" + String.join(", ", all) + ")", null);
        }
        for (ParameterSpec s : known) params.checkAgainst(s);
    }

    /** One warning line for each expected stage these parameters do not enable (a mutable list, for more warnings). */
    public List<String> skipped(Pipeline pipeline, Parameters params) {
        List<String> out = new ArrayList<>();
        for (Stage s : stagesOf(pipeline)) {
            if (s.announced() && !s.isEnabled(params)) out.add(s.name() + " skipped: it needs " + s.enabledBy());
        }
        return out;
    }

    private List<Stage> stagesOf(Pipeline pipeline) {
        return registry.entryOf(pipeline).map(e -> guard(e, pipeline::stages)).orElseGet(pipeline::stages);
    }

    /** The parameters the plugins of a stage declare, whatever their kind; plugins not installed declare none. */
    private List<ParameterSpec> parametersOf(Stage s) {
        List<ParameterSpec> out = new ArrayList<>();
        for (String n : s.plugins()) for (Kind k : List.of(Kind.FITTER, Kind.DERIVER, Kind.CORRELATOR)) out.addAll(of(k, n));
        return distinct(out);
    }

    private List<ParameterSpec> of(Kind kind, String name) {
        return registry.find(kind, name).map(e -> guard(e, () -> switch (kind) {
            case FITTER -> ((Fitter) e.plugin()).parameters();
            case DERIVER -> ((QuantityDeriver) e.plugin()).parameters();
            case CORRELATOR -> ((Correlator) e.plugin()).parameters();
            default -> List.<ParameterSpec>of();
        })).orElse(List.of());
    }

    private Entry pipeline(String name) {
        return registry.find(Kind.PIPELINE, name).orElseThrow(() -> {
            List<String> names = registry.all(Kind.PIPELINE).stream().map(Entry::name).toList();
            return new InvalidParameterException("pipeline", names.isEmpty()
                    ? "a pipeline, but none is installed (see 'ltz4d plugins')" : "one of: " + String.join(", ", names), name);
        });
    }

    /** The first declaration of each parameter name, in order. */
    public static List<ParameterSpec> distinct(List<ParameterSpec> specs) {
        Map<String, ParameterSpec> m = new LinkedHashMap<>();
        for (ParameterSpec s : specs) m.putIfAbsent(s.name(), s);
        return List.copyOf(m.values());
    }

    /** Runs plugin code: our own errors pass, anything else is the plugin's fault and says so. */
    static <T> T guard(Entry e, Supplier<T> body) {
        return e.guard(body);
    }
}
