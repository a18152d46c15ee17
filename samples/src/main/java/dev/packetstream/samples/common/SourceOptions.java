package dev.packetstream.samples.common;

import dev.packetstream.av.MediaCapture;
import dev.packetstream.av.Pacing;
import dev.packetstream.core.media.FrameSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where a Java-side source's frames come from: a camera, the test pattern, or a file. */
public final class SourceOptions {
    @Option(names = "--camera", paramLabel = "DEVICE",
            description = "Use this V4L2 camera (e.g. /dev/video0). Default: the first camera if there is one, else the test pattern.")
    public String camera;

    @Option(names = "--test-pattern", description = "Use the built-in moving test pattern with a 440 Hz tone, even if there is a camera.")
    public boolean testPattern;

    @Option(names = "--file", paramLabel = "PATH", description = "Play this media file (any format FFmpeg reads), looping, in real time.")
    public Path file;

    @Option(names = "--size", defaultValue = "640x480", converter = FrameSizeConverter.class,
            description = "Frame size sent to viewers, WIDTHxHEIGHT. Default: ${DEFAULT-VALUE}.")
    public FrameSize size;

    @Option(names = "--fps", defaultValue = "30", description = "Frames per second of the camera or test pattern. Default: ${DEFAULT-VALUE}.")
    public int fps;

    @Option(names = "--no-audio", description = "Send video only.")
    public boolean noAudio;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds of media (default: run until Ctrl-C).")
    public Integer durationSeconds;

    @Option(names = "--stamp-clock", hidden = true,
            description = "Measurement aid: draw the wall clock into each frame (one extra copy per frame) for glass-to-glass latency.")
    public boolean stampClock;

    /** What kind of source these options pick. */
    public String describe() {
        if (file != null) {
            return "file " + file;
        }
        if (camera != null) {
            return "camera " + camera;
        }
        if (testPattern || MediaCapture.listDevices().isEmpty()) {
            return "test pattern";
        }
        return "camera " + MediaCapture.listDevices().get(0).path();
    }

    /** Whether the source sends audio (cameras do not). */
    public boolean hasAudio() {
        return !noAudio && !describe().startsWith("camera");
    }

    /**
     * A capture for these options.
     *
     * @throws SampleException when the file does not exist
     */
    public MediaCapture build() {
        MediaCapture.Builder b;
        String what = describe();
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new SampleException("cannot read " + file.toAbsolutePath() + ": check the path given to --file");
            }
            b = MediaCapture.file(file).loop(true).pacing(Pacing.REALTIME);
        } else if (what.startsWith("camera")) {
            String device = what.substring("camera ".length());
            if (device.startsWith("/dev/") && !Files.exists(Path.of(device))) {
                throw new SampleException("camera " + device + " not found (cameras present: " + MediaCapture.listDevices()
                        + "); run with --test-pattern, or --file <media file>, or --camera <device>");
            }
            b = MediaCapture.camera(device).fps(fps);
        } else {
            b = MediaCapture.testPattern().fps(fps);
        }
        b.size(size.width(), size.height()).audio(hasAudio()).name("capture");
        if (durationSeconds != null) {
            b.duration(Duration.ofSeconds(durationSeconds));
        }
        return b.build();
    }
}
