package dev.packetstream.signaling.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code /usr/bin/chromium} driven by {@code /usr/bin/chromedriver})
 * with a fake camera and microphone, for end-to-end tests. Reusable by other modules through this
 * module's test-jar.
 *
 * <pre>{@code
 * @BeforeAll static void browser() { HeadlessChromium.assumeAvailable(); }
 *
 * try (HeadlessChromium chromium = HeadlessChromium.launch()) {
 *     String viewer = chromium.open(server.httpUri().resolve("/viewer.html?room=r"));
 *     chromium.newWindow(server.httpUri().resolve("/publisher.html?room=r"));
 *     chromium.switchTo(viewer);
 *     chromium.waitFor(Duration.ofSeconds(30), "frames decoded",
 *             "return window.psStats.framesDecoded > 0");
 * }
 * }</pre>
 *
 * <h2>Missing browser</h2>
 * {@link #assumeAvailable()} skips the test with the install command; when the environment
 * variable {@code CI} is {@code true} it fails instead, so that CI never passes without the browser.
 * The paths can be changed with the system properties {@code packetstream.chromium} and
 * {@code packetstream.chromedriver}.
 *
 * <h2>Isolation and ownership</h2>
 * Each instance has a fresh temporary directory holding the profile, and HOME and TMPDIR for the
 * browser (Chromium writes outside its profile). {@link #close()} quits the browser, stops the
 * driver and deletes the directory. Not thread-safe: one test thread drives it.
 */
public final class HeadlessChromium implements AutoCloseable {
    /** What to run when the browser is missing. */
    public static final String INSTALL_HINT = "apt-get install chromium chromium-driver";

    /** The flags that work headless, as root, offline (tried one by one), before the profile directory. */
    public static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required");

    private final Path dir;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium(List<String> extraFlags) throws IOException {
        this.dir = Files.createTempDirectory("packetstream-chromium-");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path profile = Files.createDirectories(dir.resolve("profile"));
        this.service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver().toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("HOME", home.toString(), "TMPDIR", tmp.toString()))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().toString());
        List<String> flags = new ArrayList<>(FLAGS);
        flags.add("--user-data-dir=" + profile);
        flags.addAll(extraFlags);
        options.addArguments(flags);
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(dir);
            throw e;
        }
        this.driver = started;
    }

    /** Chromium's path: {@code packetstream.chromium} or {@code /usr/bin/chromium}. */
    public static Path chromium() {
        return Path.of(System.getProperty("packetstream.chromium", "/usr/bin/chromium"));
    }

    /** ChromeDriver's path: {@code packetstream.chromedriver} or {@code /usr/bin/chromedriver}. */
    public static Path chromedriver() {
        return Path.of(System.getProperty("packetstream.chromedriver", "/usr/bin/chromedriver"));
    }

    /** Whether both executables are present. */
    public static boolean isAvailable() {
        return Files.isExecutable(chromium()) && Files.isExecutable(chromedriver());
    }

    /**
     * Skips the calling test when the browser is missing, or fails it when {@code CI=true}.
     */
    public static void assumeAvailable() {
        if (isAvailable()) {
            return;
        }
        String message = "headless Chromium is missing (" + chromium() + ", " + chromedriver() + "): run `"
                + INSTALL_HINT + "` (the CI script .ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true and " + message);
        }
        Assumptions.abort(message);
    }

    /** Starts a browser with the standard flags. */
    public static HeadlessChromium launch() {
        return launch(List.of());
    }

    /** Starts a browser with the standard flags and these (e.g. {@code --use-file-for-fake-video-capture=x.y4m}). */
    public static HeadlessChromium launch(List<String> extraFlags) {
        assumeAvailable();
        try {
            return new HeadlessChromium(extraFlags);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the browser's temporary directory", e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Loads a page in the current window; returns the window's handle. */
    public String open(URI page) {
        driver.get(page.toString());
        return driver.getWindowHandle();
    }

    /** Opens a page in a new window (not a background tab, so its timers run at full rate); returns its handle. */
    public String newWindow(URI page) {
        driver.switchTo().newWindow(WindowType.WINDOW);
        return open(page);
    }

    public void switchTo(String window) {
        driver.switchTo().window(window);
    }

    /** Runs JavaScript in the current window ({@code return ...} to get a value). */
    public Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    /**
     * Polls {@code javascript} (which must {@code return} a boolean) in the current window until
     * it returns true.
     *
     * @throws org.openqa.selenium.TimeoutException naming {@code what} and the last page log lines
     */
    public void waitFor(Duration timeout, String what, String javascript) {
        waitFor(timeout, what, d -> Boolean.TRUE.equals(script(javascript)) ? Boolean.TRUE : null);
    }

    public <T> T waitFor(Duration timeout, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                .withMessage(() -> "waiting for " + what + " in " + driver.getCurrentUrl())
                .until(condition);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind is not worth failing a test for
        }
    }
}
