package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

import dev.packetstream.core.FlagPacket;
import dev.packetstream.core.PacketStreamAdapter;
import dev.packetstream.core.Retention;
import dev.packetstream.core.Startable;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source of raw media: a camera (V4L2), any file or URL FFmpeg reads, or a built-in test pattern
 * (moving video plus a 440 Hz tone; the default). Emits I420
 * {@link dev.packetstream.core.media.RawVideoFrame}s and s16le {@link RawAudioFrame}s with
 * microsecond timestamps from the source's clock, and {@link FlagPacket#FINAL} at the end of the
 * input (or of {@link Builder#duration(Duration)}).
 *
 * <pre>{@code
 * MediaCapture capture = MediaCapture.testPattern().size(1280, 720).fps(30).audio(true).build();
 * stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
 * }</pre>
 *
 * <h2>Ownership</h2>
 * Frames are <em>borrowed</em>: video frames are views of the grabber's decoded picture (no copy
 * when the source is already I420 at the requested size; otherwise one swscale conversion into a
 * reusable buffer), overwritten by the next grab. A stage that keeps one past its call must
 * {@code copy()} it; checked mode catches a stage that does not.
 *
 * <h2>Threads</h2>
 * {@link #start()} opens the input on the caller's thread (so a bad input fails there, with a
 * {@link MediaInputException}) and then grabs and emits on its own thread, named
 * {@code capture-<name>}. The grabber is only touched, and closed, by that thread, so no frame is
 * ever read after the grabber closed. {@link #stop()} asks the thread to end and returns at once;
 * {@link #close()} also waits (bounded) for it. {@link #finished()} completes when the thread
 * ends, exceptionally when reading failed.
 *
 * <h2>Checks</h2>
 * A missing camera or file: {@link MediaInputException.Reason#NOT_FOUND}; a busy camera:
 * {@code BUSY}; no permission: {@code PERMISSION_DENIED}; a file FFmpeg cannot read (garbage,
 * truncated header): {@code UNREADABLE}. Each message names the input and the cause. A read
 * error in the middle of the input ends it: the error goes to {@link #finished()} and the log,
 * and FINAL is emitted so that the stream stops in order.
 */
public final class MediaCapture extends PacketStreamAdapter implements Startable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaCapture.class);
    private static final long JOIN_TIMEOUT_MS = 5_000;

    private enum Kind { TEST_PATTERN, CAMERA, FILE }

    private final Kind kind;
    private final String input;
    private final int width;
    private final int height;
    private final int fps;
    private final boolean audio;
    private final boolean loop;
    private final Pacing pacing;
    private final long durationUs;
    private final CaptureInput source;

    private final Object lock = new Object();
    private Thread thread;
    private volatile boolean stopRequested;
    private volatile CompletableFuture<Void> finished = CompletableFuture.completedFuture(null);
    private volatile long videoFrames;
    private volatile long audioFrames;
    private volatile long conversions;

    private MediaCapture(Builder b) {
        super(b.name != null ? b.name : "capture", Retention.BORROWED);
        this.kind = b.kind;
        this.input = b.input;
        this.width = b.width;
        this.height = b.height;
        this.fps = b.fps;
        this.audio = b.audio;
        this.loop = b.loop;
        this.pacing = b.kind == Kind.CAMERA ? Pacing.AS_FAST_AS_POSSIBLE : b.pacing; // a camera paces itself
        this.durationUs = b.duration == null ? Long.MAX_VALUE : b.duration.toNanos() / 1000;
        this.source = switch (b.kind) {
            case TEST_PATTERN -> new TestPatternInput(b.width, b.height, b.fps, b.audio, b.sampleRate, b.channels, b.toneHz);
            case CAMERA -> new CameraInput(b.input, b.width, b.height, b.fps);
            case FILE -> new FileInput(b.input, b.sampleRate, b.channels);
        };
    }

    /** The built-in test pattern: moving video (FFmpeg's testsrc2) and a tone; 640x480 at 30 fps, real time. */
    public static Builder testPattern() {
        return new Builder(Kind.TEST_PATTERN, "testsrc2");
    }

    /** A V4L2 camera by device path ({@code /dev/video0}) or by the name {@link #listDevices()} reports. */
    public static Builder camera(String device) {
        return new Builder(Kind.CAMERA, Objects.requireNonNull(device, "device")).audio(false);
    }

    /** A file or URL FFmpeg can read; paced in real time unless {@link Builder#pacing(Pacing)} says otherwise. */
    public static Builder file(String pathOrUrl) {
        return new Builder(Kind.FILE, Objects.requireNonNull(pathOrUrl, "pathOrUrl"));
    }

    /** A file. */
    public static Builder file(Path path) {
        return file(path.toString());
    }

    /** The V4L2 capture devices of this machine (empty when there are none), from {@code /sys/class/video4linux}. */
    public static List<CaptureDevice> listDevices() {
        return CaptureDevices.list();
    }

    /**
     * Opens the input and starts grabbing on the capture thread. Does nothing while running.
     *
     * @throws MediaInputException when the input cannot be opened
     */
    @Override
    public void start() {
        synchronized (lock) {
            if (thread != null && thread.isAlive()) {
                return;
            }
            FFmpegFrameGrabber grabber = open();
            stopRequested = false;
            CompletableFuture<Void> done = new CompletableFuture<>();
            finished = done;
            Thread t = new Thread(() -> run(grabber, done), "capture-" + name());
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    /** Asks the capture thread to end; returns at once (also when called on that thread). */
    @Override
    public void stop() {
        stopRequested = true;
    }

    /** Stops and waits up to 5 s for the capture thread, which closes the grabber. Idempotent. */
    @Override
    public void close() {
        stop();
        Thread t;
        synchronized (lock) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(JOIN_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                log.warn("capture '{}': the capture thread did not end within {} ms; it closes the grabber when its read returns",
                        name(), JOIN_TIMEOUT_MS);
            }
        }
    }

    /** Completes when the capture thread has ended and closed its input; exceptionally when reading failed. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** Waits for {@link #finished()}; rethrows a read failure. */
    public void awaitFinished(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** Video frames emitted. */
    public long videoFrames() {
        return videoFrames;
    }

    /** Audio frames emitted. */
    public long audioFrames() {
        return audioFrames;
    }

    /** Video frames this source had to convert (a copy of the frame bytes); zero when the input is I420 at the requested size. */
    public long frameCopies() {
        return conversions;
    }

    /** The input as given (device, file, URL or {@code testsrc2}). */
    public String input() {
        return input;
    }

    // ------------------------------------------------------------------ capture thread

    private void run(FFmpegFrameGrabber grabber, CompletableFuture<Void> done) {
        Throwable failure = null;
        FFmpegFrameGrabber g = grabber;
        try (CapturedFrames frames = new CapturedFrames(name(), width, height)) {
            long offsetUs = 0;
            long lastVideoUs = Long.MIN_VALUE;
            long firstUs = Long.MIN_VALUE;
            long wallStart = 0;
            long frameUs = 1_000_000L / Math.max(1, fps);
            while (!stopRequested) {
                Frame f = g.grabFrame(audio, true, true, false, false);
                if (f == null) {
                    if (loop && kind == Kind.FILE && lastVideoUs != Long.MIN_VALUE) {
                        g.close();
                        g = null;
                        g = open();
                        offsetUs = lastVideoUs + frameUs;
                        continue;
                    }
                    break;
                }
                long ts = f.timestamp + offsetUs;
                if (firstUs == Long.MIN_VALUE) {
                    firstUs = ts;
                    wallStart = System.nanoTime();
                }
                if (ts - firstUs >= durationUs) {
                    break;
                }
                if (pacing == Pacing.REALTIME) {
                    long due = wallStart + (ts - firstUs) * 1000;
                    long wait;
                    while (!stopRequested && (wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait); // pacing, not synchronisation: the deadline is the point
                    }
                }
                if (f.image != null && f.opaque instanceof AVFrame picture) {
                    long converted = frames.conversions();
                    RawVideoFrame frame = frames.video(picture, ts);
                    conversions += frames.conversions() - converted; // across restarts, like the other counters
                    videoFrames++;
                    emit(frame);
                    lastVideoUs = Math.max(lastVideoUs, ts);
                } else if (f.samples != null && f.samples.length > 0 && f.samples[0] instanceof ShortBuffer sb) {
                    RawAudioFrame frame = frames.audio(sb, f.sampleRate, f.audioChannels, ts);
                    audioFrames++;
                    emit(frame);
                }
            }
        } catch (Throwable t) {
            failure = t;
            log.error("capture '{}': reading '{}' failed; ending the input", name(), input, t);
        } finally {
            if (g != null) {
                try {
                    g.close();
                } catch (Exception e) {
                    log.warn("capture '{}': closing '{}' failed", name(), input, e);
                }
            }
        }
        if (!stopRequested || failure != null) {
            try {
                emit(FlagPacket.FINAL);
            } catch (RuntimeException e) {
                log.warn("capture '{}': emitting FINAL failed", name(), e);
            }
        }
        if (failure == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(CaptureErrors.readFailed(name(), input, failure));
        }
    }

    // ------------------------------------------------------------------ opening

    private FFmpegFrameGrabber open() {
        FFmpegFrameGrabber g = source.grabber(name());
        g.setImageMode(FrameGrabber.ImageMode.RAW);
        g.setSampleMode(FrameGrabber.SampleMode.SHORT);
        g.setSampleFormat(AV_SAMPLE_FMT_S16);
        try {
            g.start();
            return g;
        } catch (Exception e) {
            try {
                g.close();
            } catch (Exception ignored) {
                // the open failed: nothing to close
            }
            throw CaptureErrors.openFailed(name(), input, source, e);
        }
    }

    @Override
    public String toString() {
        return "MediaCapture('" + name() + "', " + kind + " " + input + ")";
    }

    /** Builds a {@link MediaCapture}. */
    public static final class Builder {
        private final Kind kind;
        private final String input;
        private String name;
        private int width;
        private int height;
        private int fps = 30;
        private boolean audio = true;
        private int sampleRate = 48_000;
        private int channels = 2;
        private boolean loop;
        private Pacing pacing = Pacing.REALTIME;
        private Duration duration;
        private int toneHz = 440;

        private Builder(Kind kind, String input) {
            this.kind = kind;
            this.input = input;
        }

        /** The stage's name; default {@code capture}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * The size of the emitted frames: the camera is asked for it, files and other camera sizes are
         * scaled to it. Default: the input's own size (640x480 for the test pattern).
         */
        public Builder size(int width, int height) {
            FrameSize size = FrameSize.of("size", width, height);
            this.width = size.width();
            this.height = size.height();
            return this;
        }

        /** Frames per second of the test pattern, or asked of the camera. Default 30. */
        public Builder fps(int fps) {
            this.fps = SettingsChecks.fps(fps);
            return this;
        }

        /** Whether to emit audio (default true, false for cameras). */
        public Builder audio(boolean audio) {
            this.audio = audio;
            return this;
        }

        /** The audio format to emit (files are resampled to it). Default 48000 Hz stereo. */
        public Builder audioFormat(int sampleRate, int channels) {
            if (sampleRate < 8000 || sampleRate > 96_000 || channels < 1 || channels > 2) {
                throw new IllegalArgumentException("audio must be 8000..96000 Hz and 1..2 channels, was " + sampleRate + "/" + channels);
            }
            this.sampleRate = sampleRate;
            this.channels = channels;
            return this;
        }

        /** The test pattern's tone. Default 440 Hz. */
        public Builder toneHz(int hz) {
            this.toneHz = hz;
            return this;
        }

        /** Files: start again at the end, timestamps continuing. */
        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        public Builder pacing(Pacing pacing) {
            this.pacing = Objects.requireNonNull(pacing, "pacing");
            return this;
        }

        /** Ends the input (with FINAL) after this much media time. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public MediaCapture build() {
            return new MediaCapture(this);
        }
    }
}
