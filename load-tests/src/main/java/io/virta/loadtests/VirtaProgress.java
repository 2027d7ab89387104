package io.virta.loadtests;

import io.virta.gateway.VirtaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * Progress lines of a Virta run in the windowed-count harnesses: its source connector's status
 * every ten seconds ({@code -Dprogress=N}: every N seconds), and with {@code -Dsnapshots=true} the
 * running streams' stages in {@code target/stream-snapshots.txt} whenever the status did not move.
 */
final class VirtaProgress {
    private VirtaProgress() {}

    /**
     * A daemon thread, started, that prints the status of {@code server}'s connector {@code
     * connector} every ten seconds, to see where a slow run stands; interrupt it to stop it.
     */
    static Thread printing(VirtaServer server, String connector, long started) {
        String status =
                "http://127.0.0.1:%d/v1/connectors/%s".formatted(server.httpPort(), connector);
        Thread progress = new Thread(() -> print(status, started, server));
        progress.setDaemon(true);
        progress.start();
        return progress;
    }

    private static void print(String statusUri, long started, VirtaServer server) {
        HttpClient client = HttpClient.newHttpClient();
        String last = "";
        try {
            while (true) {
                Thread.sleep(Long.getLong("progress", 10) * 1000);
                String body =
                        client.send(
                                        HttpRequest.newBuilder(URI.create(statusUri)).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                String partitions = body.substring(Math.max(0, body.indexOf("\"partitions\"")));
                if (partitions.equals(last) && Boolean.getBoolean("snapshots")) {
                    // No progress in ten seconds: show where each running stream waits.
                    String snapshots = describeStreams(server);
                    java.nio.file.Files.writeString(
                            Path.of("target/stream-snapshots.txt"), snapshots);
                }
                last = partitions;
                System.out.printf(
                        "[%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, summary(body));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.out.println("progress: " + e);
        }
    }

    /**
     * Consumed and committed records per consumer group of a connector status, summed over the
     * partitions (a Pulsar subscription has one row for all, without a partition), or the whole
     * status when it has no partitions.
     */
    static String summary(String status) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile(
                                "\"consumer\":\"([^\"]+)\",(?:\"partition\":\\d+,)?\"consumed\":(\\d+),"
                                        + "\"committed\":(\\d+)")
                        .matcher(status);
        java.util.Map<String, long[]> groups = new java.util.TreeMap<>();
        while (m.find()) {
            long[] sums = groups.computeIfAbsent(m.group(1), g -> new long[2]);
            sums[0] += Long.parseLong(m.group(2));
            sums[1] += Long.parseLong(m.group(3));
        }
        if (groups.isEmpty()) {
            return status;
        }
        StringBuilder out = new StringBuilder();
        groups.forEach(
                (group, sums) ->
                        out.append(
                                "%s consumed %,d committed %,d; "
                                        .formatted(group, sums[0], sums[1])));
        return out.toString();
    }

    /** Every running stream's stages and the state of each connection between them. */
    private static String describeStreams(VirtaServer server) throws Exception {
        StringBuilder out = new StringBuilder();
        for (var stream :
                scala.jdk.javaapi.CollectionConverters.asJava(
                        scala.concurrent.Await.result(
                                org.apache.pekko.stream.snapshot.MaterializerState.streamSnapshots(
                                        server.system().classicSystem()),
                                scala.concurrent.duration.Duration.create(10, "seconds")))) {
            out.append(stream.activeInterpreters().size()).append('\n');
            for (var interpreter :
                    scala.jdk.javaapi.CollectionConverters.asJava(stream.activeInterpreters())) {
                for (var c :
                        scala.jdk.javaapi.CollectionConverters.asJava(interpreter.connections())) {
                    out.append("  ")
                            .append(c.out().label())
                            .append(" -> ")
                            .append(c.in().label())
                            .append(": ")
                            .append(c.state())
                            .append('\n');
                }
            }
        }
        return out.toString();
    }
}
