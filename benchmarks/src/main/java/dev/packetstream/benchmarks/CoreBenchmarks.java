package dev.packetstream.benchmarks;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the core's JMH benchmarks (checked ownership mode off, as in production) and prints one
 * table beside the baselines measured in the same run and icey's figures.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests &amp;&amp; java -jar benchmarks/target/benchmarks.jar
 * </pre>
 */
public final class CoreBenchmarks {
    /** icey 2.5.0 packetstreambench on a machine of this kind (issue 2). */
    private static final double ICEY_0 = 52;
    private static final double ICEY_1 = 64;
    private static final double ICEY_3 = 68;

    private CoreBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException {
        Map<String, double[]> r = new HashMap<>();
        Options sync = new OptionsBuilder()
                .include(PassthroughBenchmark.class.getName() + ".*")
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Dpacketstream.checked=false")
                .build();
        collect(new Runner(sync).run(), r);
        Options hop = new OptionsBuilder()
                .include(AsyncHopBenchmark.class.getName() + ".*")
                .jvmArgsAppend("-Dpacketstream.checked=false")
                .build();
        collect(new Runner(hop).run(), r);
        Options checked = new OptionsBuilder()
                .include(PassthroughBenchmark.class.getName() + ".stream3Processors")
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Dpacketstream.checked=true")
                .build();
        Map<String, double[]> c = new HashMap<>();
        collect(new Runner(checked).run(), c);
        r.put("stream3ProcessorsChecked", c.get("stream3Processors"));
        print(r);
    }

    private static void collect(Collection<RunResult> results, Map<String, double[]> into) {
        for (RunResult rr : results) {
            String name = rr.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Result<?> primary = rr.getPrimaryResult();
            Result<?> alloc = rr.getSecondaryResults().get("gc.alloc.rate.norm");
            into.put(name, new double[] {primary.getScore(), primary.getScoreError(),
                    alloc == null ? Double.NaN : alloc.getScore()});
        }
    }

    private static void print(Map<String, double[]> r) {
        System.out.println();
        System.out.printf("PacketStream core benchmarks — %d cores, %s %s, checked mode off%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        System.out.println();
        System.out.println("| synchronous, 256-byte borrowed RawPacket | PacketStream ns/op | B/op | direct call chain ns/op | icey 2.5.0 ns/op | target ns/op |");
        System.out.println("|---|---|---|---|---|---|");
        row(r, "passthrough (0 processors)", "streamPassthrough", "directPassthrough", ICEY_0);
        row(r, "1 processor", "stream1Processor", "direct1Processor", ICEY_1);
        row(r, "3 processors", "stream3Processors", "direct3Processors", ICEY_3);
        double stage = (r.get("stream3Processors")[0] - r.get("streamPassthrough")[0]) / 3;
        double directStage = (r.get("direct3Processors")[0] - r.get("directPassthrough")[0]) / 3;
        System.out.printf("%nper synchronous stage: PacketStream %.2f ns, direct chain %.2f ns (target: at most 2x the direct chain)%n",
                stage, directStage);
        double[] chk = r.get("stream3ProcessorsChecked");
        System.out.printf("checked mode ON (as in tests), 3 processors: %.1f ns/op, %.0f B/op (a leased view per stage)%n",
                chk[0], chk[2]);
        System.out.println();
        System.out.println("| thread hop with copy (256 B) | AsyncPacketQueue packets/s | ArrayBlockingQueue packets/s | ratio | target |");
        System.out.println("|---|---|---|---|---|");
        hop(r, "1 producer", "asyncQueue1Producer", "arrayBlockingQueue1Producer");
        hop(r, "4 producers", "asyncQueue4Producers", "arrayBlockingQueue4Producers");
        System.out.println();
    }

    private static void row(Map<String, double[]> r, String label, String stream, String direct, double icey) {
        double[] s = r.get(stream);
        double[] d = r.get(direct);
        System.out.printf("| %s | %.1f ± %.1f | %.0f | %.1f ± %.1f | %.0f | ≤ %.0f |%n",
                label, s[0], s[1], s[2], d[0], d[1], icey, icey / 4);
    }

    private static void hop(Map<String, double[]> r, String label, String ours, String abq) {
        double[] o = r.get(ours);
        double[] a = r.get(abq);
        System.out.printf("| %s | %.2f M ± %.2f M | %.2f M ± %.2f M | %.2fx | ≥ 10 M and ≥ 2x |%n",
                label, o[0] / 1e6, o[1] / 1e6, a[0] / 1e6, a[1] / 1e6, o[0] / a[0]);
    }
}
