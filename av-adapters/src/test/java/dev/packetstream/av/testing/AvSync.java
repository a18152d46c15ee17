package dev.packetstream.av.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The flashes and beeps {@link AvSyncMarkers#measure} found in one file (seconds, the file's own
 * presentation times), and their pairs.
 */
public record AvSync(Path file, List<Double> flashes, List<Double> beeps, int videoFrames, int audioWindows) {

    /** A flash and the beep nearest to it. */
    public record Pair(double videoSeconds, double audioSeconds) {
        /** Audio time minus video time, in milliseconds: negative when the audio comes early. */
        public double offsetMs() {
            return (audioSeconds - videoSeconds) * 1000;
        }
    }

    /** Each flash with the beep nearest to it, if one is within half a second; in time order. */
    public List<Pair> pairs() {
        List<Pair> out = new ArrayList<>();
        for (double v : flashes) {
            double best = Double.NaN;
            for (double a : beeps) {
                if (Math.abs(a - v) < 0.5 && (Double.isNaN(best) || Math.abs(a - v) < Math.abs(best - v))) {
                    best = a;
                }
            }
            if (!Double.isNaN(best)) {
                out.add(new Pair(v, best));
            }
        }
        return out;
    }

    /** The pairs' offsets in milliseconds, in time order. */
    public List<Double> offsetsMs() {
        return pairs().stream().map(Pair::offsetMs).toList();
    }

    /** The median offset (ms); NaN without pairs. */
    public double medianOffsetMs() {
        List<Double> o = new ArrayList<>(offsetsMs());
        if (o.isEmpty()) {
            return Double.NaN;
        }
        o.sort(Double::compare);
        int n = o.size();
        return n % 2 == 1 ? o.get(n / 2) : (o.get(n / 2 - 1) + o.get(n / 2)) / 2;
    }

    /** Last pair's offset minus the first's (ms); NaN with fewer than two pairs. */
    public double trendMs() {
        List<Double> o = offsetsMs();
        return o.size() < 2 ? Double.NaN : o.get(o.size() - 1) - o.get(0);
    }

    /** Offset change per second of media, by least squares over all pairs (ms/s); NaN with fewer than two. */
    public double slopeMsPerSecond() {
        List<Pair> p = pairs();
        return leastSquaresSlope(p.stream().mapToDouble(Pair::videoSeconds).toArray(), p.stream().mapToDouble(Pair::offsetMs).toArray());
    }

    /** The least-squares slope of {@code y} over {@code x}; NaN with fewer than two points or no spread in x. */
    public static double leastSquaresSlope(double[] x, double[] y) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double mx = java.util.Arrays.stream(x).average().orElse(0);
        double my = java.util.Arrays.stream(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return den == 0 ? Double.NaN : num / den;
    }

    /**
     * Pair by pair, this recording's offset minus {@code reference}'s (ms, wrapped into ±500), for
     * two recordings of the same source made at the same time: a capture hiccup moves both alike
     * and cancels out. The recordings start at different moments, so the pairs are lined up by the
     * shift (up to 3 pairs either way) whose differences spread least; pairs without a partner are
     * left out.
     */
    public List<Double> differencesMs(AvSync reference) {
        List<Double> mine = offsetsMs();
        List<Double> theirs = reference.offsetsMs();
        List<Double> best = List.of();
        double bestSpread = Double.MAX_VALUE;
        for (int shift = -3; shift <= 3; shift++) {
            List<Double> d = new ArrayList<>();
            for (int i = 0; i < mine.size(); i++) {
                int j = i + shift;
                if (j >= 0 && j < theirs.size()) {
                    double x = mine.get(i) - theirs.get(j);
                    d.add(x - 1000 * Math.round(x / 1000)); // offsets wrap at ±500 ms (beeps are a second apart)
                }
            }
            if (d.size() < Math.min(mine.size(), theirs.size()) - 3) {
                continue;
            }
            List<Double> sorted = new ArrayList<>(d);
            sorted.sort(Double::compare);
            double spread = sorted.get(sorted.size() - 1) - sorted.get(0);
            if (spread < bestSpread) {
                bestSpread = spread;
                best = d;
            }
        }
        return best;
    }

    /** Mean time between consecutive flashes (ms): 1000 when the video keeps time. */
    public double flashPeriodMs() {
        return period(flashes);
    }

    /** Mean time between consecutive beeps (ms): 1000 when the audio keeps time. */
    public double beepPeriodMs() {
        return period(beeps);
    }

    /**
     * The span from the first marker to the last over the number of marker intervals it holds. An
     * interval about twice the median holds a marker the reader missed (a lost frame at a flash):
     * it counts as two, so one missed marker does not read as a slow clock.
     */
    private static double period(List<Double> times) {
        if (times.size() < 2) {
            return Double.NaN;
        }
        List<Double> intervals = new java.util.ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            intervals.add(times.get(i) - times.get(i - 1));
        }
        List<Double> sorted = new java.util.ArrayList<>(intervals);
        java.util.Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        long steps = 0;
        for (double interval : intervals) {
            steps += median <= 0 ? 1 : Math.max(1, Math.round(interval / median));
        }
        return (times.get(times.size() - 1) - times.get(0)) * 1000 / steps;
    }

    /** One line: counts, median, trend, slope and every offset. */
    public String describe() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%s: %d flashes, %d beeps, %d pairs (%d video frames, %d audio windows); flash period %.2f ms, beep period %.2f ms; median %+.0f ms, last-first %+.0f ms, slope %+.1f ms/s; offsets",
                file.getFileName(), flashes.size(), beeps.size(), pairs().size(), videoFrames, audioWindows, flashPeriodMs(), beepPeriodMs(), medianOffsetMs(),
                trendMs(), slopeMsPerSecond()));
        for (double o : offsetsMs()) {
            b.append(String.format(Locale.ROOT, " %+.0f", o));
        }
        return b.toString();
    }
}
