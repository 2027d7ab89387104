package io.virta.loadtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts events as NDJSON batches to a Virta gateway, retrying 503 answers, until all are
 * acknowledged.
 */
final class NdjsonPoster {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    NdjsonPoster(int port) {
        this.port = port;
    }

    /**
     * Events posted, how fast, how many requests had to be retried, and the 99th percentile of a
     * request's latency (first send to its 200, retries included).
     */
    record Result(double eventsPerSecond, int retries, double p99Millis) {}

    static String payload(int i, String key) {
        return payload("e-", i, key);
    }

    /** An event of {@code key} with id {@code idPrefix + i}. */
    static String payload(String idPrefix, int i, String key) {
        return "{\"k\":\""
                + key
                + "\",\"id\":\""
                + idPrefix
                + i
                + "\",\"amount\":"
                + (i % 997)
                + ",\"note\":\"event "
                + i
                + "\"}";
    }

    void createStream(String name) {
        HttpResponse<String> reply =
                send(
                        HttpRequest.newBuilder(uri("/v1/streams/" + name))
                                .PUT(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"key\": \"/k\", \"id\": \"/id\"}"))
                                .build());
        if (reply.statusCode() != 201) {
            throw new IllegalStateException("creating the stream failed: " + reply.body());
        }
    }

    /**
     * Posts {@code events} events over {@code keys} keys and returns once every one is
     * acknowledged.
     */
    Result run(String stream, int events, int keys, int batch, int concurrency)
            throws InterruptedException {
        return run(stream, events, keys, batch, concurrency, "e-");
    }

    /**
     * As {@link #run(String, int, int, int, int)}, the events' ids starting with {@code idPrefix}:
     * another prefix posts new events to the same keys.
     */
    Result run(String stream, int events, int keys, int batch, int concurrency, String idPrefix)
            throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < events; from += batch) {
            StringBuilder body = new StringBuilder();
            for (int i = from; i < Math.min(events, from + batch); i++) {
                body.append(payload(idPrefix, i, "key-" + (i % keys))).append('\n');
            }
            bodies.add(body.toString());
        }
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger retries = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long[] latencies = new long[bodies.size()];
        long start = System.nanoTime();
        for (int b = 0; b < bodies.size(); b++) {
            inFlight.acquire();
            int request = b;
            long sent = System.nanoTime();
            all.add(
                    post(stream, bodies.get(b), retries, acknowledged)
                            .whenComplete(
                                    (v, e) -> {
                                        latencies[request] = System.nanoTime() - sent;
                                        inFlight.release();
                                    }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (acknowledged.get() != events) {
            throw new IllegalStateException("acknowledged " + acknowledged.get() + " of " + events);
        }
        return new Result(events / seconds, retries.get(), Percentiles.p99Millis(latencies));
    }

    private CompletableFuture<Void> post(
            String stream, String body, AtomicInteger retries, AtomicLong acknowledged) {
        HttpRequest request =
                HttpRequest.newBuilder(uri("/v1/streams/" + stream + "/events"))
                        .header("Content-Type", "application/x-ndjson")
                        .timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenCompose(
                        reply -> {
                            if (reply.statusCode() == 200) {
                                acknowledged.addAndGet(body.chars().filter(c -> c == '\n').count());
                                return CompletableFuture.completedFuture(null);
                            }
                            if (reply.statusCode() == 503) {
                                // Events carry ids, so a retry stores nothing twice.
                                retries.incrementAndGet();
                                return CompletableFuture.supplyAsync(
                                                () -> null,
                                                CompletableFuture.delayedExecutor(
                                                        200, TimeUnit.MILLISECONDS))
                                        .thenCompose(
                                                v -> post(stream, body, retries, acknowledged));
                            }
                            throw new IllegalStateException(
                                    "post failed with " + reply.statusCode() + ": " + reply.body());
                        });
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
