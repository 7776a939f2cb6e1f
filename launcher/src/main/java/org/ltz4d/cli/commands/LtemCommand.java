package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ltz4d ltem tie|fit --images A B C ... --out DIR}: Lorentz TEM phase retrieval from a
 * defocus series. The images are read through the engine's readers (.npy, TIFF, DM3/DM4, MRC...)
 * into maps {@code ltem/image_0..} and handed to the engine's phase retrieval {@code ltem-tie} or
 * {@code ltem-fit}; results go to {@code DIR/results.h5} with figures.
 */
@Command(name = "ltem", mixinStandardHelpOptions = true, description = "Lorentz TEM phase retrieval from a defocus series.",
        subcommands = {LtemCommand.Tie.class, LtemCommand.Fit.class})
public final class LtemCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Shared by tie and fit. */
    abstract static class Retrieval extends ParameterisedCommand {
        /** The image files follow it as free tokens: picocli would take the plugin options after it as files. */
        @Option(names = "--images", arity = "0", description = "Images in order of defocus (e.g. UNDER IN OVER): the files that follow.")
        boolean imagesMarker;

        Retrieval(CliContext ctx) {
            super(ctx);
        }

        /** The phase retrieval this command runs. */
        abstract String method();

        @Override
        List<ParameterSpec> parameters() {
            return ctx.engine().phaseRetrievalParameters(method());
        }

        @Override
        String parameterTitle() {
            return "Parameters of '" + method() + "':";
        }

        @Override
        int run(OptionTokens t) {
            List<Path> images = t.positional().stream().map(Path::of).toList();
            if (!imagesMarker || images.isEmpty()) throw new InvalidParameterException("images", "one or more image files", null);
            MapSet maps = loadImages(ctx, images);
            RunSummary s = ctx.engine().retrievePhase(maps, method(), t.parameters(), out, ctx.progress());
            Summaries.print(ctx, s);
            return 0;
        }
    }

    /** Reads each file's first frame as a 2D image map {@code ltem/image_i}; all must share one shape. */
    static MapSet loadImages(CliContext ctx, List<Path> files) {
        List<DataMap> maps = new ArrayList<>();
        org.ltz4d.api.data.Shape shape = null;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try (Dataset ds = ctx.engine().open(f, Parameters.empty())) {
                if (ds.frameCount() != 1) {
                    throw new ShapeMismatchException(f, "shape", "a single 2D image", "nav " + ds.navShape() + " of " + ds.sigShape());
                }
                if (shape != null && !shape.equals(ds.sigShape())) {
                    throw new ShapeMismatchException(f, "shape", "the first image's " + shape, ds.sigShape().toString());
                }
                shape = ds.sigShape();
                float[] v = new float[ds.framePixels()];
                ds.readFrames(0, 1, v, 0);
                maps.add(DataMap.of("ltem/image_" + i, shape, v, Unit.COUNTS, "Lorentz TEM image " + i + " (" + f.getFileName() + ")")
                        .withAttribute("source", f.toString()));
            }
        }
        return MapSet.of(maps);
    }

    /** Transport of intensity. */
    @Command(name = "tie", description = "Transport-of-intensity phase (and B·t) from an under/in/over-focus series.",
            customSynopsis = "ltz4d ltem tie --images UNDER IN OVER --defocus-nm D --pixel-nm P --beam-kv KV [--qc Q] --out DIR")
    public static final class Tie extends Retrieval {
        public Tie(CliContext ctx) {
            super(ctx);
        }

        @Override
        String method() {
            return "ltem-tie";
        }
    }

    /** Gradient-based fit of phase and defocus through the forward model. */
    @Command(name = "fit", description = "Fit the phase (and defocus) to the images through a differentiable forward model, from TIE.",
            customSynopsis = "ltz4d ltem fit --images A B C --defocus-nm D --pixel-nm P --beam-kv KV [--refine-defocus] [--iterations N] --out DIR")
    public static final class Fit extends Retrieval {
        public Fit(CliContext ctx) {
            super(ctx);
        }

        @Override
        String method() {
            return "ltem-fit";
        }
    }
}
