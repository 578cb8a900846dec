package dev.ponder.testutil;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven by the system's chromedriver (Debian: {@code apt-get install chromium chromium-driver}).
 * Both executables are looked up on the PATH ({@code -Dponder.chromium=FILE} and {@code -Dponder.chromedriver=FILE}
 * override), so Selenium never downloads anything. When either is missing the calling test is skipped with a
 * message, except under {@code CI=true}, where it fails.
 */
public final class HeadlessChrome {
    /** Selenium warns that it has no DevTools bindings for a newer Chromium; these tests do not use DevTools. */
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private HeadlessChrome() {}

    /** Starts a headless browser with a {@code width × height} window, or skips (fails under CI). */
    public static ChromeDriver start(int width, int height) {
        Path browser = find("ponder.chromium", List.of("chromium", "chromium-browser", "google-chrome"));
        Path driver = find("ponder.chromedriver", List.of("chromedriver"));
        if (browser == null || driver == null) {
            String msg = "headless browser test needs " + (browser == null ? "chromium" : "") + (browser == null && driver == null ? " and " : "")
                    + (driver == null ? "chromedriver" : "") + " on the PATH (Debian: apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(msg);
            Assumptions.abort(msg);
        }
        CDP_LOG.setLevel(Level.SEVERE);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(browser.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--window-size=" + width + "," + height, "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        return new ChromeDriver(service, o);
    }

    private static Path find(String property, List<String> names) {
        String override = System.getProperty(property);
        if (override != null) return Files.isExecutable(Path.of(override)) ? Path.of(override) : null;
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) continue;
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
            }
        }
        return null;
    }
}
