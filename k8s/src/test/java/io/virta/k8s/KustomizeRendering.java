package io.virta.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a kustomization with {@code kubectl kustomize}, offline (no cluster is contacted).
 *
 * <p>kubectl is taken from the {@code PATH}; when it is missing, Debian's {@code kubernetes-client}
 * package is installed with apt-get (as on CI). kubectl's built-in kustomize must be v5 or later
 * (kubectl 1.27+): older ones do not know the {@code labels} field the manifests use. A test fails
 * loudly, with the reason, when no such kubectl can be had.
 */
final class KustomizeRendering {
    private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern KUSTOMIZE_VERSION =
            Pattern.compile("Kustomize Version: v(\\d+)\\.(\\d+)");

    private static String kubectl;

    private KustomizeRendering() {}

    /**
     * Renders the kustomization in {@code directory}.
     *
     * @return the rendered resources, one YAML document each
     * @throws IllegalStateException when kubectl fails, times out or cannot be found
     */
    static String render(Path directory) {
        Result result = run(List.of(kubectl(), "kustomize", directory.toString()), RENDER_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    "kubectl kustomize " + directory + " failed: " + result.both());
        }
        return result.output();
    }

    /** The kubectl binary, installed first when absent; checked to bundle kustomize v5+. */
    static synchronized String kubectl() {
        if (kubectl == null) {
            String found = which();
            if (found.isEmpty()) {
                Result install =
                        run(
                                List.of(
                                        "sh",
                                        "-c",
                                        "export DEBIAN_FRONTEND=noninteractive;"
                                                + " apt-get install -y -q kubernetes-client"
                                                + " || (apt-get update -q"
                                                + " && apt-get install -y -q kubernetes-client)"),
                                INSTALL_TIMEOUT);
                found = which();
                if (found.isEmpty()) {
                    throw new IllegalStateException(
                            "kubectl is missing and Debian's kubernetes-client could not be"
                                    + " installed: "
                                    + install.both());
                }
            }
            requireKustomize5(found);
            kubectl = found;
        }
        return kubectl;
    }

    private static void requireKustomize5(String binary) {
        String version = run(List.of(binary, "version", "--client"), RENDER_TIMEOUT).both();
        Matcher m = KUSTOMIZE_VERSION.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < 5) {
            throw new IllegalStateException(
                    binary
                            + " bundles a kustomize older than v5 (the k8s/ manifests use its"
                            + " `labels` field); install kubectl 1.27 or later. It reported: "
                            + version.strip());
        }
    }

    private static String which() {
        Result r = run(List.of("sh", "-c", "command -v kubectl"), RENDER_TIMEOUT);
        return r.exitCode() == 0 ? r.output().strip() : "";
    }

    /** Exit code, standard output and standard error of a finished command. */
    private record Result(int exitCode, String output, String errors) {
        String both() {
            return (output + "\n" + errors).strip();
        }
    }

    /** Runs {@code command}; its output goes to files, so a hung process cannot block reading. */
    private static Result run(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("kubectl", ".out");
            Path err = Files.createTempFile("kubectl", ".err");
            try {
                Process p =
                        new ProcessBuilder(command)
                                .redirectOutput(out.toFile())
                                .redirectError(err.toFile())
                                .start();
                p.getOutputStream().close();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(
                            command + " did not finish within " + timeout + ": " + read(err));
                }
                return new Result(p.exitValue(), read(out), read(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
