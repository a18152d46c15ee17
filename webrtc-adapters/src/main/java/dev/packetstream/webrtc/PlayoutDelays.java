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
 * How much each remote track's playout delay has changed since it was first known, polled from
 * the session's statistics every {@value #PERIOD_MS} ms. libwebrtc plays media live: it changes
 * each track's delay as it goes (audio: NetEq's buffer after an underrun, or growing while the
 * audio module pulls slowly; video: A/V synchronisation and decode-time estimates), by up to
 * hundreds of milliseconds, at different times for the two tracks. Its statistics say, per
 * track, which instant of the sender's capture clock plays now ({@code estimatedPlayoutTimestamp},
 * from the sender's RTCP reports): the stats' time minus that is the track's playout delay (plus
 * the offset between the two machines' clocks, the same for both tracks). A recorder subtracts
 * each track's change so that its timestamps follow the sender's capture clock.
 *
 * <h2>Limits</h2>
 * Known only after the sender's first RTCP report (a few seconds in); changes are followed with up
 * to one poll period of lag; millisecond resolution.
 *
 * <h2>Threads</h2>
 * Polls on its own daemon thread {@code playout-delay-<session>}; the changes may be read from any
 * thread. {@link #close()} stops polling; {@link #start()} resumes it.
 */
final class PlayoutDelays implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlayoutDelays.class);
    static final long PERIOD_MS = 250;
    static final long UNKNOWN = Long.MIN_VALUE;
    /** A change larger than this in one poll is a glitch of the estimate (or a clock step), not a delay change. */
    static final long MAX_STEP_MS = 300;

    private final String name;
    private final Supplier<CompletableFuture<Map<String, Long>>> poll;
    private ScheduledExecutorService timer;
    private final Track audio = new Track();
    private final Track video = new Track();
    private long firstAdjust = UNKNOWN;
    private volatile long audioAdjust = UNKNOWN;
    private volatile long polls;

    PlayoutDelays(String name, Supplier<CompletableFuture<Map<String, Long>>> poll) {
        this.name = name;
        this.poll = poll;
    }

    /** Starts polling (again). */
    synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "playout-delay-" + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollOnce, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Audio's playout delay now (ms, incl. the machines' clock offset), or {@link #UNKNOWN}. */
    long audioDelayMs() {
        return audio.lastMs;
    }

    /** Video's playout delay now (ms, incl. the machines' clock offset), or {@link #UNKNOWN}. */
    long videoDelayMs() {
        return video.lastMs;
    }

    /** Audio's playout delay now minus when first known (µs), or {@link #UNKNOWN}. */
    long audioChangeUs() {
        return audio.changeUs;
    }

    /** Video's playout delay now minus when first known (µs), or {@link #UNKNOWN}. */
    long videoChangeUs() {
        return video.changeUs;
    }

    /**
     * Samples of the sender's audio that NetEq's output skipped (positive: accelerated) or padded
     * (negative: decelerated, concealed) since first known, or {@link #UNKNOWN}.
     */
    long audioContentAdjustSamples() {
        return audioAdjust;
    }

    /** Polls that returned statistics. */
    long polls() {
        return polls;
    }

    /** Polls whose estimate jumped by more than {@value #MAX_STEP_MS} ms and were ignored. */
    long glitches() {
        return audio.glitches + video.glitches;
    }

    private void pollOnce() {
        Map<String, Long> now;
        try {
            now = poll.get().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            log.debug("session '{}': playout-delay poll failed: {}", name, e.toString());
            return;
        }
        polls++;
        audio.update(now.get("audio"));
        video.update(now.get("video"));
        Long adjust = now.get(StatsCollector.AUDIO_CONTENT_ADJUST);
        if (adjust != null) {
            if (firstAdjust == UNKNOWN) {
                firstAdjust = adjust;
            }
            audioAdjust = adjust - firstAdjust;
        }
    }

    /** One track's delay: the first known value, the last one, and the change. Poll thread only (changeUs: any). */
    private static final class Track {
        private long firstMs = UNKNOWN;
        private volatile long lastMs = UNKNOWN;
        private volatile long changeUs = UNKNOWN;
        private volatile long glitches;

        void update(Long delayMs) {
            if (delayMs == null) {
                return;
            }
            if (firstMs == UNKNOWN) {
                firstMs = delayMs;
            } else if (Math.abs(delayMs - lastMs) > MAX_STEP_MS) {
                glitches++;
                return;
            }
            lastMs = delayMs;
            changeUs = (delayMs - firstMs) * 1000;
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
