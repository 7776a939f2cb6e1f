package org.ltz4d.cli.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ltz4d.api.error.Ltz4dException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs, updates and uninstalls bundles the way OSGi intends, so no stale wiring survives:
 * an existing bundle is updated in place ({@link Bundle#update(InputStream)}: same bundle id,
 * same location) rather than uninstalled and installed again, and after every update or uninstall
 * the framework's wiring is refreshed ({@link FrameworkWiring#refreshBundles}) and the refresh is
 * waited for ({@link FrameworkEvent#PACKAGES_REFRESHED}), so bundles that were wired to the old
 * revision are rewired to the new one (or stopped) before the next run begins.
 */
public final class BundleInstaller {
    /** How long to wait for the framework to finish a refresh. */
    static final long REFRESH_TIMEOUT_SECONDS = 60;

    private final BundleContext context;

    public BundleInstaller(BundleContext context) {
        this.context = context;
    }

    /** Installs the jar from {@code location} (a URI of the file), or finds the bundle already installed there; then starts it. */
    public Bundle installAndStart(String location) {
        try {
            Bundle b = context.getBundle(location);
            if (b == null) b = context.installBundle(location);
            start(b);
            return b;
        } catch (BundleException e) {
            throw new Ltz4dException(location + ": bundle could not be installed or started: " + e.getMessage(), e);
        }
    }

    /** Replaces the content of an installed bundle with {@code jar}, refreshes the wiring and starts it again. */
    public Bundle update(Bundle bundle, Path jar) {
        try (InputStream in = Files.newInputStream(jar)) {
            bundle.update(in);
        } catch (BundleException | IOException e) {
            throw new Ltz4dException("could not update " + bundle.getSymbolicName() + " from " + jar + ": " + e.getMessage(), e);
        }
        refresh(List.of(bundle));
        try {
            start(bundle);
        } catch (BundleException e) {
            throw new Ltz4dException(jar + ": updated bundle " + bundle.getSymbolicName() + " could not be started: " + e.getMessage(), e);
        }
        return bundle;
    }

    /** Uninstalls a bundle and refreshes the wiring, so nothing keeps using its classes. */
    public void uninstall(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException e) {
            throw new Ltz4dException("could not uninstall " + bundle.getSymbolicName() + ": " + e.getMessage(), e);
        }
        refresh(null);
    }

    /**
     * Refreshes {@code bundles} (null: every bundle whose removal is pending after an update or
     * uninstall) and every bundle wired to them, and waits until the framework says it is done.
     */
    public void refresh(Collection<Bundle> bundles) {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) done.countDown();
        });
        try {
            if (!done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new Ltz4dException("the framework did not finish refreshing " + names(bundles) + " within "
                        + REFRESH_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Ltz4dException("interrupted while refreshing " + names(bundles), e);
        }
    }

    private static void start(Bundle b) throws BundleException {
        if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) b.start();
    }

    private static String names(Collection<Bundle> bundles) {
        if (bundles == null) return "the bundles pending removal";
        return String.join(", ", bundles.stream().map(b -> b.getSymbolicName() + " (" + b.getBundleId() + ")").toList());
    }
}
