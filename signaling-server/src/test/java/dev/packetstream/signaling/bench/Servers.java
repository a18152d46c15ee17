package dev.packetstream.signaling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers of one load-run setup: one alone, or several sharing rooms through one Redis. Their
 * figures are summed, so that the run's accounting is the same for any number of servers.
 */
final class Servers {
    final List<ServerProcess> all;
    final String heap;

    private Servers(List<ServerProcess> all, String heap) {
        this.all = all;
        this.heap = heap;
    }

    /** {@code count} servers with these options, sharing rooms through {@code redis} when it is not null. */
    static Servers start(int count, URI redis, String heap, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(options));
        if (redis != null) {
            args.addAll(List.of("--redis", redis.toString()));
        }
        List<ServerProcess> all = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                all.add(ServerProcess.start(heap, args.toArray(String[]::new)));
            }
        } catch (Exception e) {
            for (ServerProcess server : all) {
                server.stop();
            }
            throw e;
        }
        return new Servers(all, heap);
    }

    int size() {
        return all.size();
    }

    URI uri(int index) {
        return all.get(index).uri;
    }

    /** The sum of every server's {@code /health} numbers (heapUsedBytes and peers too). */
    JsonNode health() throws Exception {
        ObjectNode sum = new ObjectMapper().createObjectNode();
        for (ServerProcess server : all) {
            add(sum, server.health());
        }
        return sum;
    }

    private static void add(ObjectNode sum, JsonNode health) {
        health.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                sum.put(e.getKey(), sum.path(e.getKey()).asLong() + e.getValue().asLong());
            } else if (e.getValue().isObject()) {
                ObjectNode inner = sum.has(e.getKey()) ? (ObjectNode) sum.get(e.getKey()) : sum.putObject(e.getKey());
                add(inner, e.getValue());
            }
        });
    }

    long rssKiB() throws Exception {
        long total = 0;
        for (ServerProcess server : all) {
            total += server.rssKiB();
        }
        return total;
    }

    long[] cpuMillis() throws Exception {
        long[] total = new long[2];
        for (ServerProcess server : all) {
            long[] cpu = server.cpuMillis();
            total[0] += cpu[0];
            total[1] += cpu[1];
        }
        return total;
    }

    void stop() throws InterruptedException {
        for (ServerProcess server : all) {
            server.stop();
        }
    }
}
