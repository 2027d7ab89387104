package io.virta.k8s;

import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Strict reading of manifests into the Kubernetes API models of {@code client-java-api}.
 *
 * <p>The models' JSON adapters check every object against the OpenAPI schema it was generated from:
 * a field the schema does not define, or a value of the wrong type, is an error (unlike fabric8's
 * models, which keep unknown fields aside). A document whose {@code apiVersion} and {@code kind}
 * are not among the kinds Virta ships is an error too, so a new kind needs its model here first.
 */
final class KubernetesSchema {
    /** A model's strict {@code fromJson}. */
    @FunctionalInterface
    private interface Model {
        KubernetesObject fromJson(String json) throws IOException;
    }

    private static final Map<String, Model> MODELS =
            Map.ofEntries(
                    entry("apps/v1 Deployment", V1Deployment::fromJson),
                    entry("apps/v1 StatefulSet", V1StatefulSet::fromJson),
                    entry("v1 Service", V1Service::fromJson),
                    entry("v1 ConfigMap", V1ConfigMap::fromJson),
                    entry("v1 ServiceAccount", V1ServiceAccount::fromJson),
                    entry("rbac.authorization.k8s.io/v1 Role", V1Role::fromJson),
                    entry("rbac.authorization.k8s.io/v1 RoleBinding", V1RoleBinding::fromJson),
                    entry("policy/v1 PodDisruptionBudget", V1PodDisruptionBudget::fromJson),
                    entry(
                            "autoscaling/v2 HorizontalPodAutoscaler",
                            V2HorizontalPodAutoscaler::fromJson),
                    entry("networking.k8s.io/v1 NetworkPolicy", V1NetworkPolicy::fromJson));

    private static final YAMLMapper YAML = new YAMLMapper();

    private KubernetesSchema() {}

    /**
     * Reads every document of a multi-document YAML stream.
     *
     * @return the resources, in the order of the stream; empty documents are skipped
     * @throws IllegalArgumentException naming the first document that is not valid YAML, is of a
     *     kind without a model here, or does not match its model's schema
     */
    static List<KubernetesObject> parseAll(String yaml) {
        List<JsonNode> documents;
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            documents = it.readAll();
        } catch (IOException | RuntimeJsonMappingException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        return documents.stream()
                .filter(d -> d != null && !d.isNull() && !d.isEmpty())
                .map(KubernetesSchema::parse)
                .toList();
    }

    /**
     * Reads one resource into the model its {@code apiVersion} and {@code kind} name.
     *
     * @throws IllegalArgumentException when the kind has no model here or the document does not
     *     match the model's schema
     */
    static KubernetesObject parse(JsonNode document) {
        String type = document.path("apiVersion").asText() + " " + document.path("kind").asText();
        String name = type + " " + document.path("metadata").path("name").asText("(no name)");
        Model model = MODELS.get(type);
        if (model == null) {
            throw new IllegalArgumentException(
                    name + ": no model for this apiVersion and kind; known: " + MODELS.keySet());
        }
        try {
            return model.fromJson(document.toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(name + " does not match its schema: " + e, e);
        }
    }
}
