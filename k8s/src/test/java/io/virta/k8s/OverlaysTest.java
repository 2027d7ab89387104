package io.virta.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1PodAffinityTerm;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What sets {@code dev} and {@code prod} apart, checked on their rendered resources. */
class OverlaysTest {

    /**
     * Dev is one Virta node that cannot scale out, beside a single-node Cassandra 5.0 of its own on
     * a persistent volume, which Virta is configured to use and allowed to reach.
     */
    @Test
    void devRunsOneNodeBesideItsOwnCassandra() {
        Overlay dev = Overlay.of("dev");
        assertThat(dev.virta().getSpec().getReplicas()).isEqualTo(1);
        assertThat(dev.get(V2HorizontalPodAutoscaler.class, "virta").getSpec().getMaxReplicas())
                .isEqualTo(1);

        V1StatefulSet cassandra = dev.get(V1StatefulSet.class, "cassandra");
        assertThat(cassandra.getSpec().getReplicas()).isEqualTo(1);
        V1Container container = cassandra.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("cassandra:5.0");
        assertThat(container.getReadinessProbe()).isNotNull();
        assertThat(cassandra.getSpec().getVolumeClaimTemplates())
                .singleElement()
                .satisfies(
                        pvc ->
                                assertThat(
                                                pvc.getSpec()
                                                        .getResources()
                                                        .getRequests()
                                                        .get("storage")
                                                        .toSuffixedString())
                                        .isEqualTo("10Gi"));

        V1Service service = dev.get(V1Service.class, "cassandra");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(9042);
        assertThat(dev.envValue("VIRTA_CASSANDRA_CONTACT_POINTS")).contains("cassandra:9042");
        assertThat(dev.envValue("VIRTA_CASSANDRA_LOCAL_DATACENTER"))
                .contains(env(container, "CASSANDRA_DC"));

        List<V1NetworkPolicyIngressRule> rules =
                dev.get(V1NetworkPolicy.class, "cassandra").getSpec().getIngress();
        assertThat(rules)
                .anySatisfy(
                        rule -> {
                            assertThat(rule.getPorts())
                                    .extracting(p -> ManifestsTest.portName(p.getPort()))
                                    .contains("9042");
                            assertThat(rule.getFrom())
                                    .allSatisfy(
                                            peer ->
                                                    assertThat(
                                                                    peer.getPodSelector()
                                                                            .getMatchLabels())
                                                            .containsEntry("app", "virta"));
                        });
    }

    /**
     * Prod runs at least three nodes, each on its own machine (required anti-affinity), never
     * scales below three, and needs a majority of them to form a cluster. Cassandra is external.
     */
    @Test
    void prodRunsThreeNodesOnSeparateMachines() {
        Overlay prod = Overlay.of("prod");
        int replicas = prod.virta().getSpec().getReplicas();
        assertThat(replicas).isGreaterThanOrEqualTo(3);
        assertThat(prod.get(V2HorizontalPodAutoscaler.class, "virta").getSpec().getMinReplicas())
                .isGreaterThanOrEqualTo(3);

        List<V1PodAffinityTerm> required =
                ManifestsTest.podSpec(prod)
                        .getAffinity()
                        .getPodAntiAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution();
        assertThat(required)
                .anySatisfy(
                        term -> {
                            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                            assertThat(term.getLabelSelector().getMatchLabels())
                                    .containsEntry("app", "virta");
                        });

        int contactPoints =
                Integer.parseInt(prod.envValue("VIRTA_REQUIRED_CONTACT_POINTS").orElseThrow());
        assertThat(contactPoints).isEqualTo(2);
        assertThat(2 * contactPoints).as("a majority of the replicas").isGreaterThan(replicas);

        assertThat(prod.all(V1StatefulSet.class)).as("no in-cluster Cassandra").isEmpty();
        assertThat(prod.envValue("VIRTA_CASSANDRA_CONTACT_POINTS"))
                .hasValueSatisfying(v -> assertThat(v).doesNotContain("cassandra:9042"));
    }

    private static String env(V1Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .map(V1EnvVar::getValue)
                .findFirst()
                .orElseThrow();
    }
}
