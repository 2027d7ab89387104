package io.virta.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's kafkacat (kcat), the outside Kafka client the connector tests produce with. Installed by
 * the test setup when missing (apt-get, as on CI); a test fails loudly when it cannot be.
 */
final class Kcat {
    private Kcat() {}

    /** The kcat binary, installed first when absent. */
    static synchronized String binary() {
        if (run(List.of("sh", "-c", "command -v kcat || command -v kafkacat"), "").isBlank()) {
            String log =
                    run(
                            List.of(
                                    "sh",
                                    "-c",
                                    "apt-get install -y -q kafkacat 2>&1 || (apt-get update -q"
                                            + " && apt-get install -y -q kafkacat) 2>&1"),
                            "");
            if (run(List.of("sh", "-c", "command -v kcat || command -v kafkacat"), "").isBlank()) {
                throw new IllegalStateException(
                        "kcat (Debian package kafkacat) is missing and could not be installed: "
                                + log);
            }
        }
        return run(List.of("sh", "-c", "command -v kcat || command -v kafkacat"), "").trim();
    }

    /**
     * Produces {@code lines} ({@code key:value} each) to {@code topic} and waits until kcat has
     * delivered them.
     */
    static void produce(String servers, String topic, List<String> lines) {
        String out =
                run(
                        List.of(
                                binary(),
                                "-b",
                                servers,
                                "-t",
                                topic,
                                "-P",
                                "-K",
                                ":",
                                "-X",
                                "acks=all"),
                        String.join("\n", lines) + "\n");
        if (!out.isBlank()) {
            throw new IllegalStateException("kcat reported: " + out);
        }
    }

    private static String run(List<String> command, String input) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish: " + output);
            }
            return p.exitValue() == 0 ? output : "";
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
