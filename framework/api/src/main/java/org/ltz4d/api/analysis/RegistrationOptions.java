package org.ltz4d.api.analysis;

/**
 * What {@link ImageRegistration#register} searches. Immutable; start from {@link #DEFAULTS} and
 * change with the {@code with…} methods.
 *
 * @param maxRotationDeg the coarse search covers rotations within ± this, degrees (0…180; 180 = all)
 * @param allowMirror whether mirrored transforms are searched too (a flipped specimen)
 * @param lowPassCyclesPerPx σ_q of a Gaussian low-pass exp(−q²/(2σ_q²)) applied to both images
 *        first, cycles per pixel (&gt; 0); {@code Double.POSITIVE_INFINITY} = none (images at
 *        different defocus agree only at low frequency)
 * @param scale the expected scale (moving pixels per reference pixel, from the pixel sizes), the
 *        coarse search's; NaN = unknown, then scales from 1/2 to 2 are searched
 * @param held when not null: no search; rotation, scale and mirror are held at this transform's
 *        and only the shift is refined, starting from its shift
 * @since 1.5
 */
public record RegistrationOptions(double maxRotationDeg, boolean allowMirror, double lowPassCyclesPerPx, double scale,
        SimilarityTransform held) {
    /** ±10°, no mirror, no low-pass, scale 1, nothing held. */
    public static final RegistrationOptions DEFAULTS = new RegistrationOptions(10, false, Double.POSITIVE_INFINITY, 1, null);

    public RegistrationOptions {
        if (!(maxRotationDeg >= 0 && maxRotationDeg <= 180)) {
            throw new IllegalArgumentException("maximum rotation must be 0 to 180 degrees, got " + maxRotationDeg);
        }
        if (!(lowPassCyclesPerPx > 0)) throw new IllegalArgumentException("low-pass σ must be > 0 cycles/px, got " + lowPassCyclesPerPx);
        if (!Double.isNaN(scale) && !(scale > 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException("expected scale must be positive or NaN (unknown), got " + scale);
        }
    }

    public RegistrationOptions withMaxRotationDeg(double deg) {
        return new RegistrationOptions(deg, allowMirror, lowPassCyclesPerPx, scale, held);
    }

    public RegistrationOptions withMirror(boolean allow) {
        return new RegistrationOptions(maxRotationDeg, allow, lowPassCyclesPerPx, scale, held);
    }

    public RegistrationOptions withLowPass(double cyclesPerPx) {
        return new RegistrationOptions(maxRotationDeg, allowMirror, cyclesPerPx, scale, held);
    }

    public RegistrationOptions withScale(double expected) {
        return new RegistrationOptions(maxRotationDeg, allowMirror, lowPassCyclesPerPx, expected, held);
    }

    public RegistrationOptions withHeld(SimilarityTransform start) {
        return new RegistrationOptions(maxRotationDeg, allowMirror, lowPassCyclesPerPx, scale, start);
    }
}
