package dev.packetstream.av;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets FFmpeg's native log level to errors for every test class (registered by JUnit's extension
 * auto-detection): the grabber's stream dumps and encoders' notices otherwise flood the build log.
 */
public final class QuietFfmpegExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        FfmpegLogLevel.ERROR.apply();
    }
}
