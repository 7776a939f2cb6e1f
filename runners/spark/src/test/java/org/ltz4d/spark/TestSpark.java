package org.ltz4d.spark;

/** Spark settings of the tests: every socket on the loopback address, no web UI. */
final class TestSpark {
    private TestSpark() {
    }

    static void loopbackOnly() {
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.ui.showConsoleProgress", "false");
    }
}
