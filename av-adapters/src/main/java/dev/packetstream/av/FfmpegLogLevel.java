package dev.packetstream.av;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's own log level: what its native code prints to standard error (stream listings when an
 * input opens, encoder notices, warnings). FFmpeg keeps this level for the whole process, so an
 * application sets it once at start-up; a library should leave it alone.
 *
 * <pre>{@code
 * FfmpegLogLevel.ERROR.apply(); // errors only: no stream listing when a capture opens
 * }</pre>
 */
public enum FfmpegLogLevel {
    /** Nothing. */
    QUIET(avutil.AV_LOG_QUIET),
    /** Errors only. */
    ERROR(avutil.AV_LOG_ERROR),
    /** Errors and warnings. */
    WARNING(avutil.AV_LOG_WARNING),
    /** FFmpeg's default: stream listings and notices too. */
    INFO(avutil.AV_LOG_INFO),
    /** Everything FFmpeg says. */
    DEBUG(avutil.AV_LOG_DEBUG);

    private final int level;

    FfmpegLogLevel(int level) {
        this.level = level;
    }

    /** Sets this level for the whole process. */
    public void apply() {
        avutil.av_log_set_level(level);
    }
}
