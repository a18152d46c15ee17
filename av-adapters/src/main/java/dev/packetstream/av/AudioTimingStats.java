package dev.packetstream.av;

/**
 * What a recorder did to keep its audio on the timeline (see the recorder's class comment), in
 * samples per channel at the recorded rate. All zero when the audio arrived back-to-back.
 *
 * @param stretched samples added by stretching audio that ran short of the clock
 * @param squeezed samples removed by squeezing audio that ran ahead of the clock
 * @param silenceInserted samples of silence written into gaps of raw audio (lost chunks, pauses)
 * @param gapSamples samples' worth of gaps left between encoded packets (they cannot be filled)
 * @param droppedSamples samples dropped because they overlapped audio already written
 * @param droppedPackets encoded packets dropped because they overlapped audio already written
 */
public record AudioTimingStats(long stretched, long squeezed, long silenceInserted, long gapSamples, long droppedSamples,
                               long droppedPackets) {
    /** Whether any audio was added, removed or left out. */
    public boolean corrected() {
        return stretched + squeezed + silenceInserted + gapSamples + droppedSamples + droppedPackets > 0;
    }
}
