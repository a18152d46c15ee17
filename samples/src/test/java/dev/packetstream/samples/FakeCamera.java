package dev.packetstream.samples;

import dev.packetstream.signaling.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the samples' browser tests set up first: a folder of their own, a y4m clip (FFmpeg's moving
 * test pattern, 30 fps, 3 s, looped by Chromium) made once per class, and headless Chromium
 * launched with that clip as its fake camera (and its fake microphone). The class is skipped, by an
 * assumption, when Chromium or FFmpeg is missing.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final FakeCamera camera = new FakeCamera(640, 480);
 * ...
 * try (HeadlessChromium chromium = camera.launch()) { ... }
 * </pre>
 *
 * The folder is deleted after the class.
 */
final class FakeCamera implements BeforeAllCallback, AfterAllCallback {
    private final int width;
    private final int height;
    private Path dir;
    private Path clip;

    FakeCamera(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        HeadlessChromium.assumeAvailable();
        MediaTools.assumeAvailable();
        dir = Files.createTempDirectory(context.getRequiredTestClass().getSimpleName());
        clip = MediaTools.y4mClip(dir, width, height, 30, 3);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The class's folder: the clip is in it, and tests write their files there. */
    Path dir() {
        return dir;
    }

    /** The y4m clip the fake camera plays. */
    Path clip() {
        return clip;
    }

    /** Launches headless Chromium whose fake camera plays the clip, with {@code moreArguments}. */
    HeadlessChromium launch(String... moreArguments) {
        List<String> arguments = new ArrayList<>();
        arguments.add("--use-file-for-fake-video-capture=" + clip);
        arguments.addAll(List.of(moreArguments));
        return HeadlessChromium.launch(arguments);
    }
}
