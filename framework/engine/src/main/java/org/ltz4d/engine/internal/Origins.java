package org.ltz4d.engine.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** Where plugins come from: a service reference of the framework, or a plain-Java registration. */
public final class Origins {
    private Origins() {
    }

    /** A plugin registered outside OSGi (tests, embedding): always "active". */
    public static PluginRegistry.Origin fixed(String bundle, String version, int ranking, long id) {
        return new PluginRegistry.Origin() {
            public String bundle() { return bundle; }
            public String version() { return version; }
            public String state() { return "active"; }
            public int ranking() { return ranking; }
            public long serviceId() { return id; }
        };
    }

    /** A service's bundle, its state (asked when needed), and the service's ranking and id as the framework orders them. */
    public static PluginRegistry.Origin of(ServiceReference<?> ref) {
        Object r = ref.getProperty(Constants.SERVICE_RANKING);
        int ranking = r instanceof Integer i ? i : 0; // as the framework orders services: non-Integer rankings count as 0
        Object id = ref.getProperty(Constants.SERVICE_ID);
        long serviceId = id instanceof Long l ? l : Long.MAX_VALUE;
        Bundle b = ref.getBundle();
        if (b == null) return fixed("(unregistered)", "", ranking, serviceId);
        String bsn = b.getSymbolicName();
        String v = b.getVersion().toString();
        return new PluginRegistry.Origin() {
            public String bundle() { return bsn; }
            public String version() { return v; }
            public String state() { return org.ltz4d.api.engine.PluginInfo.stateName(b.getState()); }
            public int ranking() { return ranking; }
            public long serviceId() { return serviceId; }
        };
    }
}
