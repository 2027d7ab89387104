package io.virta.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Virta node in its own JVM ({@code VirtaServer.main}, the test classpath), configured as a pod
 * of the Kubernetes manifests is: through {@code VIRTA_*} environment variables, cluster bootstrap
 * through the (fake) Kubernetes API. Stopped gracefully with SIGTERM, or hard with SIGKILL, as
 * Kubernetes and a crashing machine do. Its output goes to {@code target/nodes/<name>.log}.
 */
final class NodeProcess {
    private final String name;
    private final int httpPort;
    private final int managementPort;
    private final List<String> systemProperties;
    private final Map<String, String> environment;
    private Process process;

    NodeProcess(
            String name,
            int httpPort,
            int managementPort,
            List<String> systemProperties,
            Map<String, String> environment) {
        this.name = name;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.systemProperties = List.copyOf(systemProperties);
        this.environment = Map.copyOf(environment);
    }

    int httpPort() {
        return httpPort;
    }

    int managementPort() {
        return managementPort;
    }

    /** Launches the JVM (again, after a stop). */
    void start() throws IOException {
        Path log = Path.of("target", "nodes", name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.addAll(systemProperties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.add("io.virta.gateway.VirtaServer");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("VIRTA_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("VIRTA_MANAGEMENT_PORT", Integer.toString(managementPort));
        process = builder.start();
    }

    /** True when its management endpoint says ready (a cluster member, Up). */
    boolean ready() {
        try {
            return HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + managementPort
                                                                    + "/ready"))
                                            .timeout(Duration.ofSeconds(3))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, as Kubernetes stops a pod, and waits for the JVM to exit. */
    void stopGracefully(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(name + " did not stop within " + timeout);
        }
    }

    /** SIGKILL: the JVM dies at once, nothing is flushed or handed off. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }
}
