package io.virta.k8s;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One overlay of {@code k8s/overlays}, rendered by kubectl and read strictly into the Kubernetes
 * API models, with look-ups for what the tests check.
 *
 * @param name the overlay's directory name ({@code dev}, {@code prod})
 * @param objects every rendered resource, each valid against its model's schema
 */
record Overlay(String name, List<KubernetesObject> objects) {
    private static final Map<String, Overlay> RENDERED = new ConcurrentHashMap<>();

    /** The module's directory, holding {@code base/}, {@code overlays/} and the Dockerfile. */
    static Path k8sDir() {
        return Path.of(System.getProperty("virta.k8s.dir", ".")).toAbsolutePath();
    }

    /**
     * The overlay {@code k8s/overlays/<name>}, rendered once per test run.
     *
     * @throws IllegalStateException when kubectl cannot render it
     * @throws IllegalArgumentException when a resource does not match its schema
     */
    static Overlay of(String name) {
        return RENDERED.computeIfAbsent(
                name,
                n ->
                        new Overlay(
                                n,
                                KubernetesSchema.parseAll(
                                        KustomizeRendering.render(
                                                k8sDir().resolve("overlays").resolve(n)))));
    }

    /** Every resource of {@code type}. */
    <T extends KubernetesObject> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The resource of {@code type} named {@code resourceName}, or none. */
    <T extends KubernetesObject> Optional<T> find(Class<T> type, String resourceName) {
        return all(type).stream()
                .filter(o -> resourceName.equals(o.getMetadata().getName()))
                .findFirst();
    }

    /** The resource of {@code type} named {@code resourceName}; fails when there is none. */
    <T extends KubernetesObject> T get(Class<T> type, String resourceName) {
        return find(type, resourceName)
                .orElseThrow(
                        () ->
                                new NoSuchElementException(
                                        name
                                                + " renders no "
                                                + type.getSimpleName()
                                                + " "
                                                + resourceName));
    }

    /** The Virta Deployment. */
    V1Deployment virta() {
        return get(V1Deployment.class, "virta");
    }

    /** The Virta server's container in the Deployment's pod template. */
    V1Container virtaContainer() {
        return virta().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> "virta".equals(c.getName()))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException(name + ": no container virta"));
    }

    /** The Virta container's environment variable {@code envName}; fails when it is not set. */
    V1EnvVar env(String envName) {
        return Optional.ofNullable(virtaContainer().getEnv()).orElse(List.of()).stream()
                .filter(e -> envName.equals(e.getName()))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException(name + ": no env " + envName));
    }

    /**
     * The value the Virta container gets for {@code envName}: its literal value, or the ConfigMap
     * entry it refers to. Empty when the value comes from elsewhere (a Secret, a field) or the
     * ConfigMap entry does not exist.
     */
    Optional<String> envValue(String envName) {
        V1EnvVar env = env(envName);
        V1EnvVarSource from = env.getValueFrom();
        if (from == null) {
            return Optional.ofNullable(env.getValue());
        }
        if (from.getConfigMapKeyRef() == null) {
            return Optional.empty();
        }
        return find(V1ConfigMap.class, from.getConfigMapKeyRef().getName())
                .map(V1ConfigMap::getData)
                .map(data -> data.get(from.getConfigMapKeyRef().getKey()));
    }

    @Override
    public String toString() {
        return name;
    }
}
