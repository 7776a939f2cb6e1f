package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web workbench in a real browser (headless Chromium from Debian, driven by Selenium): open a
 * simulated dataset, see the virtual image, click positions and see the pattern change, drag the
 * reference ROI, run the amorphous pipeline to 100 % and see the B colour wheel, stop the amorphous
 * bundle and see the pipeline leave the list, start it again. Screenshots of each step go to
 * {@code target/web-screenshots/}.
 */
class WebBrowserEndToEndIT {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void openLookClickDragRunStopStart() throws Exception {
        boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError("CI must run the browser test: install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "SKIPPED: the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        Path shots = Files.createDirectories(Path.of("target", "web-screenshots"));
        Path root = Files.createDirectories(dir.resolve("root"));
        Cli.Result sim = Cli.run(root, Map.of(), List.of(), "--quiet", "simulate", "--out", "sim", "--scan", "16,16", "--detector", "64,64",
                "--ring-radius-px", "20", "--ring-width-px", "2.5");
        assertEquals(0, sim.exit(), sim.toString());
        try (Gui gui = Gui.start(root, dir.resolve("home"), "--port", "0", "--root", root.toString())) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            WebDriver driver = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
                JavascriptExecutor js = (JavascriptExecutor) driver;
                String real = root.toRealPath().toString();
                driver.get(gui.url());
                // 1. open the simulated dataset from the file browser; the virtual image appears
                wait.until(d -> !d.findElements(By.cssSelector("#file-list li[data-path='" + real + "']")).isEmpty());
                driver.findElement(By.cssSelector("#file-list li[data-path='" + real + "']")).click();
                wait.until(d -> !d.findElements(By.cssSelector("#file-list li[data-path$='/sim']")).isEmpty());
                driver.findElement(By.cssSelector("#file-list li[data-path$='/sim']")).click();
                wait.until(d -> !d.findElements(By.cssSelector("#file-list li[data-path$='/data.npy']")).isEmpty());
                driver.findElement(By.cssSelector("#file-list li[data-path$='/data.npy']")).click();
                wait.until(d -> "bf".equals(d.findElement(By.id("virtual")).getDomAttribute("data-ready")));
                assertEquals(16L, js.executeScript("return state.virtualImg.width"), "one image pixel per scan position");
                shot(driver, shots, "01-virtual-image");
                // 2. click two positions: the pattern changes
                WebElement virtual = driver.findElement(By.id("virtual"));
                new Actions(driver).moveToElement(virtual, -150, -150).click().perform();
                wait.until(d -> "1,1".equals(d.findElement(By.id("pattern")).getDomAttribute("data-pos")));
                String first = pixels(js);
                new Actions(driver).moveToElement(virtual, 150, 150).click().perform();
                wait.until(d -> "14,14".equals(d.findElement(By.id("pattern")).getDomAttribute("data-pos")));
                String second = pixels(js);
                assertNotEquals(first, second, "the pattern image changes with the position");
                System.out.println("web: pattern shown " + js.executeScript("return state.lastPatternMs") + " ms after the click; first virtual image "
                        + js.executeScript("return state.firstVirtualS") + " s after opening");
                shot(driver, shots, "02-pattern");
                // 2b. contrast: a gamma changes the shown pattern
                js.executeScript("const g = document.getElementById('contrast-gamma'); g.value = '2.5'; g.dispatchEvent(new Event('change'));");
                wait.until(d -> !second.equals(pixels(js)));
                // 2c. hover with a key held (shift): the pattern follows the pointer, no click
                new Actions(driver).keyDown(Keys.SHIFT).moveToElement(virtual, 30, -30).pause(Duration.ofMillis(300)).keyUp(Keys.SHIFT).perform();
                wait.until(d -> "6,9".equals(d.findElement(By.id("pattern")).getDomAttribute("data-pos")));
                shot(driver, shots, "02b-contrast-and-hover");
                // 2d. the centre-of-mass colour wheel, computed by the engine's virtual fitter
                new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("virtual-kind"))).selectByValue("com");
                wait.until(d -> "com".equals(d.findElement(By.id("virtual")).getDomAttribute("data-ready")));
                shot(driver, shots, "02c-centre-of-mass");
                // 2e. a polygon mask drawn on the mean pattern gives its own virtual image
                wait.until(d -> Boolean.TRUE.equals(js.executeScript("return !!state.meanImg && !!state.geometry")));
                WebElement mean = driver.findElement(By.id("mean"));
                driver.findElement(By.id("mask-draw")).click();
                new Actions(driver).moveToElement(mean, -120, -120).click().moveToElement(mean, 110, -100).click().moveToElement(mean, 100, 120)
                        .click().moveToElement(mean, -90, 100).doubleClick().perform();
                wait.until(d -> "mask".equals(d.findElement(By.id("virtual")).getDomAttribute("data-ready")));
                assertTrue((Long) js.executeScript("return state.polygon.length") >= 4, "the drawn vertices");
                assertTrue(driver.findElement(By.id("geometry")).getText().contains("mask"), driver.findElement(By.id("geometry")).getText());
                shot(driver, shots, "02d-drawn-mask");
                // 2f. indexed Bragg disks of a crystalline result drawn over the pattern, at the lattice the results give
                Path lattice = lattice(root.resolve("lattice"), 16);
                js.executeScript("document.getElementById('results-path').value = arguments[0];", lattice.toString());
                new Actions(driver).moveToElement(virtual, -150, -150).click().perform();
                wait.until(d -> "1,1".equals(d.findElement(By.id("pattern")).getDomAttribute("data-pos")));
                wait.until(d -> "25".equals(d.findElement(By.id("pattern-overlay")).getDomAttribute("data-disks")));
                shot(driver, shots, "02e-indexed-disks");
                // 3. drag a rectangle on the map: the reference ROI
                new Actions(driver).moveToElement(virtual, -180, -180).clickAndHold().moveByOffset(50, 30).moveByOffset(30, 20).release().perform();
                String roi = driver.findElement(By.id("roi-text")).getText();
                assertTrue(roi.matches("0:\\d+,0:\\d+"), roi);
                driver.findElement(By.id("roi-reference")).click();
                assertEquals(roi, driver.findElement(By.cssSelector("#run-form [name='reference-roi']")).getDomProperty("value"));
                shot(driver, shots, "03-reference-roi");
                // 4. run the amorphous pipeline: progress to 100 %, then the B colour wheel
                driver.findElement(By.cssSelector("nav button[data-tab='run']")).click();
                wait.until(d -> "amorphous".equals(d.findElement(By.id("pipeline")).getDomProperty("value")));
                type(driver, "beam-kv", "300");
                type(driver, "pixel-mrad", "0.16");
                type(driver, "thickness-nm", "60");
                type(driver, "vacuum", root.resolve("sim/vacuum.npy").toString());
                driver.findElement(By.id("run-start")).click();
                new WebDriverWait(driver, Duration.ofMinutes(5)).until(d -> {
                    String s = d.findElement(By.id("run-progress")).getDomAttribute("data-status");
                    return s != null && !s.equals("running");
                });
                assertEquals("done", driver.findElement(By.id("run-progress")).getDomAttribute("data-status"),
                        driver.findElement(By.id("run-state")).getText());
                assertEquals("100", driver.findElement(By.id("run-progress")).getDomAttribute("data-percent"));
                assertTrue(driver.findElement(By.id("run-cli")).getText().contains("--reference-roi " + roi), driver.findElement(By.id("run-cli")).getText());
                shot(driver, shots, "04-run-done");
                driver.findElement(By.cssSelector("nav button[data-tab='results']")).click();
                wait.until(d -> "magnetic/wheel".equals(d.findElement(By.id("result-a")).getDomAttribute("data-map")));
                // drawn at 24 canvas pixels per scan position (16 positions), with the B arrows over it
                wait.until(d -> Long.valueOf(384).equals(js.executeScript("return document.getElementById('result-a').width")));
                shot(driver, shots, "05-b-colour-wheel");
                // 5b. a 2D histogram of two maps chosen in the page
                js.executeScript("const a = document.getElementById('results-map-a'); a.value = 'strain/exx'; a.dispatchEvent(new Event('change'));"
                        + "const b = document.getElementById('results-map-b'); b.value = 'strain/eyy'; b.dispatchEvent(new Event('change'));");
                wait.until(d -> d.findElement(By.id("hist2d")).getDomAttribute("data-r") != null
                        && Long.parseLong(d.findElement(By.id("hist2d")).getDomAttribute("data-n")) > 128);
                shot(driver, shots, "05b-2d-histogram");
                // 5c. the correlation outputs, computed by the engine's correlators, join the map lists
                driver.findElement(By.id("results-correlate")).click();
                wait.until(d -> String.valueOf(d.findElement(By.id("results-maps")).getDomAttribute("data-maps")).contains("correlation/misorientation_deg"));
                js.executeScript("const a = document.getElementById('results-map-a'); a.value = 'correlation/misorientation_deg'; a.dispatchEvent(new Event('change'));");
                wait.until(d -> "correlation/misorientation_deg".equals(d.findElement(By.id("result-a")).getDomAttribute("data-map")));
                shot(driver, shots, "05c-misorientation");
                // 5d. SVG export is a vector figure; the HTML report is written through the report service
                String svg = (String) ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "fetch(document.getElementById('svg-b').href).then(r => r.text()).then(done);");
                assertTrue(svg.startsWith("<?xml") && svg.contains("<linearGradient") && svg.contains("<text") && svg.contains("id=\"axes\""),
                        svg.substring(0, Math.min(400, svg.length())));
                driver.findElement(By.id("results-report")).click();
                wait.until(d -> d.findElement(By.id("report-link")).getDomAttribute("data-report") != null);
                assertTrue(Files.exists(Path.of(driver.findElement(By.id("report-link")).getDomAttribute("data-report"))));
                shot(driver, shots, "05d-report");
                // 5e. a second result set on the right (the crystalline lattice results beside the amorphous run), same cursor
                js.executeScript("const b = document.getElementById('results-path-b'); b.value = arguments[0]; b.dispatchEvent(new Event('change'));",
                        lattice.toString());
                wait.until(d -> String.valueOf(d.findElement(By.id("results-maps")).getDomAttribute("data-maps-b")).contains("lattice/g1x"));
                assertTrue(!String.valueOf(driver.findElement(By.id("results-maps")).getDomAttribute("data-maps")).contains("lattice/g1x"),
                        "the left side keeps the amorphous run's maps");
                js.executeScript("const b = document.getElementById('results-map-b'); b.value = 'lattice/g1x'; b.dispatchEvent(new Event('change'));");
                wait.until(d -> "lattice/g1x".equals(d.findElement(By.id("result-b")).getDomAttribute("data-map")));
                assertEquals(lattice.toString(), js.executeScript("return pathOf('b')"));
                assertTrue(String.valueOf(driver.findElement(By.id("svg-b")).getDomAttribute("href")).contains("lattice"),
                        driver.findElement(By.id("svg-b")).getDomAttribute("href"));
                shot(driver, shots, "05e-two-result-sets");
                // 5. stop the amorphous bundle: the pipeline leaves the list; start it: it comes back
                driver.findElement(By.cssSelector("nav button[data-tab='plugins']")).click();
                wait.until(d -> !d.findElements(By.cssSelector("tr[data-bundle='org.ltz4d.amorphous'] button.bundle-stop")).isEmpty());
                driver.findElement(By.cssSelector("tr[data-bundle='org.ltz4d.amorphous'] button.bundle-stop")).click();
                wait.until(d -> !d.findElement(By.id("pipeline")).getDomAttribute("data-pipelines").contains("amorphous"));
                shot(driver, shots, "06-amorphous-stopped");
                wait.until(d -> !d.findElements(By.cssSelector("tr[data-bundle='org.ltz4d.amorphous'] button.bundle-start")).isEmpty());
                driver.findElement(By.cssSelector("tr[data-bundle='org.ltz4d.amorphous'] button.bundle-start")).click();
                wait.until(d -> d.findElement(By.id("pipeline")).getDomAttribute("data-pipelines").contains("amorphous"));
                shot(driver, shots, "07-amorphous-started");
            } finally {
                driver.quit();
            }
        }
    }

    /**
     * A results file with a crystalline lattice at every position of a rows×rows scan: origin at the
     * 64-px detector's centre, g1 = (12, 0) px, g2 = (0, 12) px, so 5 × 5 = 25 disks lie on the detector.
     */
    static Path lattice(Path dir, int rows) throws java.io.IOException {
        Files.createDirectories(dir);
        Path results = dir.resolve("results.h5");
        java.util.List<org.ltz4d.api.analysis.DataMap> maps = new java.util.ArrayList<>();
        Map<String, Float> v = Map.of("lattice/origin_x", 31.5f, "lattice/origin_y", 31.5f, "lattice/g1x", 12f, "lattice/g1y", 0f,
                "lattice/g2x", 0f, "lattice/g2y", 12f);
        for (Map.Entry<String, Float> e : v.entrySet()) {
            float[] a = new float[rows * rows];
            java.util.Arrays.fill(a, e.getValue());
            maps.add(org.ltz4d.api.analysis.DataMap.of(e.getKey(), org.ltz4d.api.data.Shape.of(rows, rows), a, org.ltz4d.api.units.Unit.PIXEL, e.getKey()));
        }
        org.ltz4d.engine.results.Hdf5Results.write(results, org.ltz4d.api.analysis.MapSet.of(maps), Map.of());
        return results;
    }

    private static void type(WebDriver driver, String name, String value) {
        WebElement e = driver.findElement(By.cssSelector("#run-form [name='" + name + "']"));
        e.clear();
        e.sendKeys(value);
    }

    /** The shown pattern's pixels, read back through a canvas. */
    private static String pixels(JavascriptExecutor js) {
        return (String) js.executeScript("const i = document.getElementById('pattern'); const c = document.createElement('canvas');"
                + "c.width = i.naturalWidth; c.height = i.naturalHeight; const g = c.getContext('2d'); g.drawImage(i, 0, 0);"
                + "return Array.from(g.getImageData(0, 0, c.width, c.height).data).join(',');");
    }

    private static void shot(WebDriver driver, Path dir, String name) throws java.io.IOException {
        Path f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(f, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
