package org.ltz4d.it.swap;

import java.util.List;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.units.Unit;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The one class of the bundles {@link org.ltz4d.it.BundleUpdateIT} writes at test time: a fitter
 * named {@code swap} that writes its class version into {@code swap/version}. The test makes a
 * second version of this class by rewriting {@link #MARK} in the class file ("-v1" → "-v2"), so
 * the two bundle versions really differ in their code. One class only (no lambdas, no inner
 * classes), and it registers itself when it is a bundle's activator.
 */
public final class SwapFitter implements Fitter, FrameProcessor, BundleActivator {
    /** Rewritten in the class file by the test; the last character is the class version. */
    public static final String MARK = "ltz4d-swap-class-v1";

    /** The version this class was made as: 1, or 2 in the rewritten copy. */
    public static float version() {
        return MARK.charAt(MARK.length() - 1) - '0';
    }

    @Override
    public String name() {
        return "swap";
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        return List.of(BufferSpec.nav("swap/version", Unit.DIMENSIONLESS, "version of the class that ran"));
    }

    @Override
    public FrameProcessor processor(FitContext context) {
        return this;
    }

    @Override
    public void process(Frame frame, FitOutput out) {
        out.set(0, version());
    }

    @Override
    public void start(BundleContext context) {
        context.registerService(Fitter.class, this, null);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
