package io.virta.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Deployment;
import org.junit.jupiter.api.Test;

/**
 * Proves that {@link KubernetesSchema} is strict, so the manifest tests passing means something:
 * the mistakes kubectl would only report against a live API server are caught here.
 */
class StrictSchemaTest {
    private static final String DEPLOYMENT =
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: virta
            spec:
              %s
              selector:
                matchLabels:
                  app: virta
              template:
                metadata:
                  labels:
                    app: virta
                spec:
                  containers:
                    - name: virta
                      image: virta:latest
            """;

    /** The well-formed Deployment the negative cases start from is accepted. */
    @Test
    void acceptsAValidDeployment() {
        assertThat(KubernetesSchema.parseAll(DEPLOYMENT.formatted("replicas: 3")))
                .singleElement()
                .isInstanceOfSatisfying(
                        V1Deployment.class,
                        d -> assertThat(d.getSpec().getReplicas()).isEqualTo(3));
    }

    /** A field the schema does not define (a typo) is rejected, naming the field. */
    @Test
    void rejectsAnUnknownField() {
        assertThatThrownBy(() -> KubernetesSchema.parseAll(DEPLOYMENT.formatted("replicaz: 3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apps/v1 Deployment virta")
                .hasMessageContaining("replicaz");
    }

    /** A value of the wrong type is rejected. */
    @Test
    void rejectsAWrongType() {
        assertThatThrownBy(() -> KubernetesSchema.parseAll(DEPLOYMENT.formatted("replicas: three")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apps/v1 Deployment virta")
                .hasMessageContaining("three");
    }

    /** A kind without a model (here a Secret, which the manifests must not ship) is rejected. */
    @Test
    void rejectsAKindWithoutModel() {
        assertThatThrownBy(
                        () ->
                                KubernetesSchema.parseAll(
                                        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no model");
    }
}
