package dev.packetstream.webrtc;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long each remote track's media currently waits in libwebrtc's jitter buffer, polled from
 * the session's statistics every {@value #PERIOD_MS} ms: the change of {@code jitterBufferDelay}
 * over the change of {@code jitterBufferEmittedCount} since the previous poll (samples for audio,
 * frames for video). libwebrtc changes these delays while it plays (audio: NetEq's target after
 * an underrun; video: A/V synchronisation and decode-time estimates), by up to hundreds of
 * milliseconds and at different times for the two tracks; a recorder subtracts them to get back
 * to the time the media arrived.
 *
 * <h2>Threads</h2>
 * Polls on its own daemon thread {@code jitter-<session>}; the delays may be read from any thread.
 * {@link #close()} stops polling.
 */
final class JitterBufferDelays implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JitterBufferDelays.class);
    static final long PERIOD_MS = 500;
    static final long UNKNOWN = Long.MIN_VALUE;

    private final String name;
    private final Supplier<CompletableFuture<Map<String, double[]>>> poll;
    private ScheduledExecutorService timer;
    private double[] previousAudio;
    private double[] previousVideo;
    private volatile long audioUs = UNKNOWN;
    private volatile long videoUs = UNKNOWN;
    private volatile long polls;
    private long firstAudio = UNKNOWN;
    private long firstVideo = UNKNOWN;

    JitterBufferDelays(String name, Supplier<CompletableFuture<Map<String, double[]>>> poll) {
        this.name = name;
        this.poll = poll;
    }

    /** Starts polling (again). */
    synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jitter-" + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollOnce, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Audio's current jitter-buffer delay (µs), or {@link #UNKNOWN} before audio has played. */
    long audioUs() {
        return audioUs;
    }

    /** Video's current jitter-buffer delay (µs), or {@link #UNKNOWN} before video has played. */
    long videoUs() {
        return videoUs;
    }

    long polls() {
        return polls;
    }

    private void pollOnce() {
        Map<String, double[]> now;
        try {
            now = poll.get().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            log.debug("session '{}': jitter-buffer poll failed: {}", name, e.toString());
            return;
        }
        polls++;
        double[] a = now.get("audio");
        double[] v = now.get("video");
        long au = delay(previousAudio, a);
        long vu = delay(previousVideo, v);
        if (au != UNKNOWN) {
            if (firstAudio == UNKNOWN) {
                firstAudio = au;
            }
            audioUs = au - firstAudio;
        }
        if (vu != UNKNOWN) {
            if (firstVideo == UNKNOWN) {
                firstVideo = vu;
            }
            videoUs = vu - firstVideo;
        }
        previousAudio = a != null ? a : previousAudio;
        previousVideo = v != null ? v : previousVideo;
    }

    /** Mean delay (µs) of what left the buffer since {@code before}, or of everything if there was no before. */
    private static long delay(double[] before, double[] now) {
        if (now == null) {
            return UNKNOWN;
        }
        double d = before == null ? now[0] : now[0] - before[0];
        double n = before == null ? now[1] : now[1] - before[1];
        return n > 0 && d >= 0 ? Math.round(d / n * 1_000_000) : UNKNOWN;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
