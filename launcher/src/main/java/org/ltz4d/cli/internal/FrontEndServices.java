package org.ltz4d.cli.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.ltz4d.api.analysis.ImageRegistration;
import org.ltz4d.api.analysis.Report;
import org.ltz4d.api.data.DetectorCalibrator;
import org.ltz4d.api.data.Simulation;
import org.ltz4d.api.engine.PluginInfo;
import org.ltz4d.api.error.Ltz4dException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The services front-ends call besides the engine — simulations and reports — looked up in the
 * service registry at each call, so a bundle installed, stopped or updated while the runtime runs
 * is seen at once. They need no orchestration, so they are not routed through the engine. Among
 * several of one name the highest service ranking wins, then the lowest service id.
 */
public final class FrontEndServices {
    public static final String SIMULATION = "simulation";
    public static final String REPORT = "report";
    public static final String CALIBRATION = "calibration";
    /** The image registration service ({@link ImageRegistration}, used by LTEM's {@code --align similarity}), listed as {@code similarity}. */
    public static final String REGISTRATION = "registration";

    private final BundleContext context;

    public FrontEndServices(BundleContext context) {
        this.context = context;
    }

    /** Runs {@code body} with the simulation of that name, or throws saying no simulator bundle offers it. */
    public <R> R withSimulation(String name, Function<Simulation, R> body) {
        return with(Simulation.class, SIMULATION, "simulator", Simulation::name, name, body);
    }

    /** Runs {@code body} with the report of that name, or throws saying no report bundle offers it. */
    public <R> R withReport(String name, Function<Report, R> body) {
        return with(Report.class, REPORT, "report", Report::name, name, body);
    }

    /** Runs {@code body} with the detector calibration of that name ({@code q}, {@code distortion}), or throws saying no calibration bundle offers it. */
    public <R> R withCalibrator(String name, Function<DetectorCalibrator, R> body) {
        return with(DetectorCalibrator.class, CALIBRATION, "calibration", DetectorCalibrator::name, name, body);
    }

    /**
     * The simulations, reports, detector calibrations and image registrations registered now, as plugins of kind
     * {@code simulation}, {@code report}, {@code calibration} and {@code registration}.
     */
    public List<PluginInfo> plugins() {
        List<PluginInfo> out = new ArrayList<>();
        for (ServiceReference<Simulation> r : refs(Simulation.class)) info(r, SIMULATION, Simulation::name, out);
        for (ServiceReference<Report> r : refs(Report.class)) info(r, REPORT, Report::name, out);
        for (ServiceReference<DetectorCalibrator> r : refs(DetectorCalibrator.class)) info(r, CALIBRATION, DetectorCalibrator::name, out);
        for (ServiceReference<ImageRegistration> r : refs(ImageRegistration.class)) info(r, REGISTRATION, s -> "similarity", out);
        return out;
    }

    private <S> void info(ServiceReference<S> ref, String kind, Function<S, String> nameOf, List<PluginInfo> out) {
        S s = context.getService(ref);
        Bundle b = ref.getBundle();
        if (s == null || b == null) return; // went away meanwhile
        try {
            out.add(new PluginInfo(kind, nameOf.apply(s), b.getSymbolicName(), b.getVersion().toString(), PluginInfo.stateName(b.getState())));
        } finally {
            context.ungetService(ref);
        }
    }

    private <S, R> R with(Class<S> type, String kind, String bundleKind, Function<S, String> nameOf, String name, Function<S, R> body) {
        List<String> names = new ArrayList<>();
        for (ServiceReference<S> ref : refs(type)) {
            S s = context.getService(ref);
            if (s == null) continue;
            try {
                String n = nameOf.apply(s);
                if (n.equals(name)) return body.apply(s);
                names.add(n);
            } finally {
                context.ungetService(ref);
            }
        }
        if (names.isEmpty()) {
            throw new Ltz4dException("no " + bundleKind + " bundle is active (no " + kind + " service); 'ltz4d plugins' lists the active bundles");
        }
        throw new Ltz4dException("no " + kind + " named '" + name + "' is active (active: " + String.join(", ", names)
                + "); 'ltz4d plugins' lists the active bundles");
    }

    /** Highest ranking first, then lowest service id (the framework's order of service references, reversed). */
    private <S> List<ServiceReference<S>> refs(Class<S> type) {
        try {
            Collection<ServiceReference<S>> c = context.getServiceReferences(type, null);
            List<ServiceReference<S>> l = new ArrayList<>(c);
            l.sort(Collections.reverseOrder());
            return l;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter given
        }
    }
}
