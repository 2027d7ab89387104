package io.virta.loadtests.gatling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The Virta node a simulation loads, and its settings: every figure comes from a system property
 * ({@code -Dname=value} on the command line), with the defaults shown in each simulation. Setup
 * (streams, tables, seed events) goes through the same HTTP API, outside the measured load.
 */
final class VirtaTarget {
    /** {@code baseUrl}: the gateway; {@code load-tests/run-gatling} starts one on port 18180. */
    static final String BASE_URL = System.getProperty("baseUrl", "http://127.0.0.1:18180");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private VirtaTarget() {}

    static int intProperty(String name, int fallback) {
        return Integer.getInteger(name, fallback);
    }

    static double doubleProperty(String name, double fallback) {
        String v = System.getProperty(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    static Duration seconds(String name, int fallback) {
        return Duration.ofSeconds(intProperty(name, fallback));
    }

    /** A name no earlier run used, so that runs do not see each other's events. */
    static String fresh(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sends a request and fails unless the answer is 2xx; returns the body. */
    static String call(String method, String path, String contentType, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(BASE_URL + path)).timeout(Duration.ofSeconds(60));
        request =
                body == null
                        ? request.method(method, HttpRequest.BodyPublishers.noBody())
                        : request.header("Content-Type", contentType)
                                .method(method, HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> reply =
                    HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        method
                                + " "
                                + path
                                + " answered "
                                + reply.statusCode()
                                + ": "
                                + reply.body());
            }
            return reply.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "no Virta at "
                            + BASE_URL
                            + " ("
                            + e
                            + "): start one with load-tests/run-gatling",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of {@code GET path}, or empty unless it answered 2xx. */
    static Optional<String> tryGet(String path) {
        try {
            return Optional.of(call("GET", path, null, null));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Runs SQL statements; fails unless every one succeeded. */
    static void sql(String statements) {
        String body = call("POST", "/v1/sql", "text/plain", statements);
        if (body.contains("\"FAILED\"")) {
            throw new IllegalStateException("SQL failed: " + body);
        }
    }

    /** One event of key {@code key} as JSON, about 100 bytes, as the ingest simulations send. */
    static String event(String key, long n) {
        return "{\"usr\":\"" + key + "\",\"n\":" + n + ",\"page\":\"/p/" + (n % 97) + "\"}";
    }
}
