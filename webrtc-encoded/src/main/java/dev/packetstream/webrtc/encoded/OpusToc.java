package dev.packetstream.webrtc.encoded;

/** Reads how many 48 kHz samples an Opus packet decodes to from its TOC byte (RFC 6716, 3.1). */
final class OpusToc {
    /** Frame duration in 48 kHz samples for each of the 32 configurations. */
    private static final int[] FRAME_SAMPLES = new int[32];

    static {
        int[] silk = {480, 960, 1920, 2880};
        int[] hybrid = {480, 960};
        int[] celt = {120, 240, 480, 960};
        for (int c = 0; c < 32; c++) {
            FRAME_SAMPLES[c] = c < 12 ? silk[c % 4] : c < 16 ? hybrid[c % 2] : celt[c % 4];
        }
    }

    private OpusToc() {
    }

    /** Samples per channel at 48 kHz, or 960 (20 ms) when the packet is too short to tell. */
    static int samples(byte[] packet) {
        if (packet.length == 0) {
            return 960;
        }
        int toc = packet[0] & 0xff;
        int frames = switch (toc & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> packet.length > 1 ? packet[1] & 0x3f : 1;
        };
        return FRAME_SAMPLES[toc >> 3] * Math.max(1, frames);
    }
}
