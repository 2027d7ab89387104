package io.virta.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every overlay must get right, checked on the rendered resources of both {@code dev} and
 * {@code prod}. Rendering reads every resource strictly into its Kubernetes API model (see {@link
 * KubernetesSchema}), so a misspelt field or a value of the wrong type fails every test here.
 */
class ManifestsTest {
    /** The environment variables the server reads in a cluster. */
    static final Set<String> SERVER_ENV =
            Set.of(
                    "VIRTA_DISCOVERY",
                    "VIRTA_KUBERNETES_NAMESPACE",
                    "VIRTA_KUBERNETES_POD_LABEL_SELECTOR",
                    "VIRTA_REMOTE_HOST",
                    "VIRTA_MANAGEMENT_HOST",
                    "VIRTA_APP_VERSION",
                    "VIRTA_HTTP_HOST",
                    "VIRTA_CASSANDRA_CONTACT_POINTS",
                    "VIRTA_CASSANDRA_LOCAL_DATACENTER",
                    "VIRTA_CASSANDRA_USERNAME",
                    "VIRTA_CASSANDRA_PASSWORD",
                    "VIRTA_REQUIRED_CONTACT_POINTS",
                    "VIRTA_KAFKA_SERVERS",
                    "VIRTA_PULSAR_SERVICE_URL",
                    "JAVA_TOOL_OPTIONS");

    /** The overlay renders only schema-valid resources, and every kind a Virta cluster needs. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void rendersValidResourcesOfEveryNeededKind(String name) {
        assertThat(Overlay.of(name).objects())
                .extracting(KubernetesObject::getKind)
                .contains(
                        "Deployment",
                        "Service",
                        "ConfigMap",
                        "ServiceAccount",
                        "Role",
                        "RoleBinding",
                        "PodDisruptionBudget",
                        "HorizontalPodAutoscaler",
                        "NetworkPolicy");
    }

    /** Every resource carries {@code app.kubernetes.io/name}, so tools can group them. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyResourceHasTheAppNameLabel(String name) {
        for (KubernetesObject o : Overlay.of(name).objects()) {
            assertThat(o.getMetadata().getLabels())
                    .as("%s %s", o.getKind(), o.getMetadata().getName())
                    .containsKey("app.kubernetes.io/name");
        }
    }

    /** Probes, the NetworkPolicy and cluster bootstrap refer to the container ports by name. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void containerPortsAreNamedRemotingManagementHttp(String name) {
        assertThat(ports(Overlay.of(name).virtaContainer()))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("remoting", 25520, "management", 8558, "http", 8080));
    }

    /** Readiness and liveness are pekko-management's {@code /ready} and {@code /alive}. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesArePekkoManagementHealthChecks(String name) {
        V1Container virta = Overlay.of(name).virtaContainer();
        assertHttpGet(virta.getReadinessProbe(), "/ready", "management");
        assertHttpGet(virta.getLivenessProbe(), "/alive", "management");
        assertThat(virta.getStartupProbe()).as("startup probe").isNotNull();
    }

    /**
     * The pod gets every variable the server reads, from where it must come: its own namespace and
     * IP from the downward API, the rest as values or from the ConfigMap.
     */
    /**
     * Every VIRTA_ variable the pod gets is one the server's configuration reads ({@code
     * ${?VIRTA_...}} in api-gateway's .conf files): no setting in the manifests is silently
     * ignored.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyVariableThePodGetsIsReadByTheServer(String name) throws java.io.IOException {
        Set<String> read = new java.util.HashSet<>();
        java.util.regex.Pattern reference =
                java.util.regex.Pattern.compile("\\$\\{\\?(VIRTA_[A-Z_]+)}");
        try (var files =
                java.nio.file.Files.list(
                        Overlay.k8sDir().resolveSibling("api-gateway/src/main/resources"))) {
            for (var file : files.filter(f -> f.toString().endsWith(".conf")).toList()) {
                var m = reference.matcher(java.nio.file.Files.readString(file));
                while (m.find()) {
                    read.add(m.group(1));
                }
            }
        }
        assertThat(read).as("variables the server reads").contains("VIRTA_DISCOVERY");
        assertThat(Overlay.of(name).virtaContainer().getEnv())
                .extracting(V1EnvVar::getName)
                .filteredOn(env -> env.startsWith("VIRTA_"))
                .allSatisfy(env -> assertThat(read).as("read by the server").contains(env));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void podGetsEveryVariableTheServerReads(String name) {
        Overlay overlay = Overlay.of(name);
        assertThat(overlay.virtaContainer().getEnv())
                .extracting(V1EnvVar::getName)
                .containsAll(SERVER_ENV)
                .doesNotHaveDuplicates();
        assertThat(fieldPath(overlay, "VIRTA_KUBERNETES_NAMESPACE"))
                .isEqualTo("metadata.namespace");
        assertThat(fieldPath(overlay, "VIRTA_REMOTE_HOST")).isEqualTo("status.podIP");
        assertThat(fieldPath(overlay, "VIRTA_MANAGEMENT_HOST")).isEqualTo("status.podIP");
        assertThat(overlay.envValue("VIRTA_DISCOVERY")).contains("kubernetes-api");
        assertThat(overlay.envValue("VIRTA_KUBERNETES_POD_LABEL_SELECTOR")).contains("app=virta");
        assertThat(overlay.envValue("VIRTA_HTTP_HOST")).contains("0.0.0.0");
        assertThat(overlay.envValue("VIRTA_APP_VERSION"))
                .hasValueSatisfying(v -> assertThat(v).isNotBlank());
        assertThat(overlay.envValue("JAVA_TOOL_OPTIONS"))
                .hasValueSatisfying(v -> assertThat(v).contains("-XX:MaxRAMPercentage=70"));
        assertThat(overlay.envValue("VIRTA_CASSANDRA_CONTACT_POINTS"))
                .hasValueSatisfying(v -> assertThat(v).isNotBlank());
    }

    /** kustomize does not check ConfigMap references: every one must name an existing entry. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyConfigMapReferenceResolves(String name) {
        Overlay overlay = Overlay.of(name);
        for (V1EnvVar env : overlay.virtaContainer().getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                assertThat(overlay.envValue(env.getName())).as(env.getName()).isPresent();
            }
        }
    }

    /** Cassandra credentials come from the Secret {@code virta-cassandra}, which may be absent. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void cassandraCredentialsComeFromTheOptionalSecret(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, String> keys =
                Map.of(
                        "VIRTA_CASSANDRA_USERNAME",
                        "username",
                        "VIRTA_CASSANDRA_PASSWORD",
                        "password");
        keys.forEach(
                (env, key) -> {
                    V1SecretKeySelector ref = overlay.env(env).getValueFrom().getSecretKeyRef();
                    assertThat(ref).as(env).isNotNull();
                    assertThat(ref.getName()).isEqualTo("virta-cassandra");
                    assertThat(ref.getKey()).isEqualTo(key);
                    assertThat(ref.getOptional()).isTrue();
                });
    }

    /** The pods' account may only read pods: no wildcard, no write, no other resource. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void roleOnlyReadsPods(String name) {
        Overlay overlay = Overlay.of(name);
        List<V1PolicyRule> rules = overlay.get(V1Role.class, "virta-pod-reader").getRules();
        assertThat(rules).hasSize(1);
        V1PolicyRule rule = rules.get(0);
        assertThat(rule.getApiGroups()).containsExactly("");
        assertThat(rule.getResources()).containsExactly("pods");
        assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "watch", "list");
        assertThat(rule.getResourceNames()).isNullOrEmpty();

        V1RoleBinding binding = overlay.get(V1RoleBinding.class, "virta-pod-reader");
        assertThat(binding.getRoleRef().getName()).isEqualTo("virta-pod-reader");
        assertThat(binding.getSubjects()).singleElement().returns("virta", s -> s.getName());
        assertThat(podSpec(overlay).getServiceAccountName()).isEqualTo("virta");
    }

    /** The Service, budget, policy and autoscaler all act on the Virta pods. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void selectorsPickTheVirtaPods(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, String> podLabels =
                overlay.virta().getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsEntry("app", "virta");
        assertThat(podLabels)
                .containsAllEntriesOf(overlay.virta().getSpec().getSelector().getMatchLabels())
                .containsAllEntriesOf(overlay.get(V1Service.class, "virta").getSpec().getSelector())
                .containsAllEntriesOf(
                        overlay.get(V1PodDisruptionBudget.class, "virta")
                                .getSpec()
                                .getSelector()
                                .getMatchLabels())
                .containsAllEntriesOf(
                        overlay.get(V1NetworkPolicy.class, "virta")
                                .getSpec()
                                .getPodSelector()
                                .getMatchLabels());
        V1Service service = overlay.get(V1Service.class, "virta");
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .returns("http", p -> p.getName())
                .returns("http", p -> portName(p.getTargetPort()));
        var target =
                overlay.get(V2HorizontalPodAutoscaler.class, "virta").getSpec().getScaleTargetRef();
        assertThat(target.getKind()).isEqualTo("Deployment");
        assertThat(target.getName()).isEqualTo("virta");
    }

    /**
     * Remoting and management are reachable only from Virta pods; only {@code http} is open to
     * other clients.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyVirtaPodsReachRemotingAndManagement(String name) {
        List<V1NetworkPolicyIngressRule> rules =
                Overlay.of(name).get(V1NetworkPolicy.class, "virta").getSpec().getIngress();
        Set<String> reachable = new HashSet<>();
        for (V1NetworkPolicyIngressRule rule : rules) {
            Set<String> ports = portNames(rule.getPorts());
            reachable.addAll(ports);
            if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                assertThat(ports).as("ports open to any client").containsExactly("http");
            } else if (ports.contains("remoting") || ports.contains("management")) {
                assertThat(rule.getFrom()).allSatisfy(ManifestsTest::assertVirtaPodsOnly);
            }
        }
        assertThat(reachable).contains("http", "remoting", "management");
    }

    /** Coordinated shutdown gets a minute to hand the node's shards off before SIGKILL. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shutdownHasTimeToHandShardsOff(String name) {
        assertThat(podSpec(Overlay.of(name)).getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(60L);
    }

    static V1PodSpec podSpec(Overlay overlay) {
        return overlay.virta().getSpec().getTemplate().getSpec();
    }

    private static Map<String, Integer> ports(V1Container container) {
        return container.getPorts().stream()
                .collect(
                        Collectors.toMap(
                                V1ContainerPort::getName, V1ContainerPort::getContainerPort));
    }

    private static void assertHttpGet(V1Probe probe, String path, String port) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet()).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(portName(probe.getHttpGet().getPort())).isEqualTo(port);
    }

    private static String fieldPath(Overlay overlay, String env) {
        return Optional.ofNullable(overlay.env(env).getValueFrom())
                .map(v -> v.getFieldRef())
                .map(f -> f.getFieldPath())
                .orElse(null);
    }

    /** The named ports of a rule; a rule without ports opens every port, written {@code *}. */
    private static Set<String> portNames(List<V1NetworkPolicyPort> ports) {
        if (ports == null || ports.isEmpty()) {
            return Set.of("*");
        }
        return ports.stream().map(p -> portName(p.getPort())).collect(Collectors.toSet());
    }

    /** A port as written: its name, or its number as text. */
    static String portName(IntOrString port) {
        if (port == null) {
            return "*";
        }
        return port.isInteger() ? String.valueOf(port.getIntValue()) : port.getStrValue();
    }

    private static void assertVirtaPodsOnly(V1NetworkPolicyPeer peer) {
        assertThat(peer.getIpBlock()).isNull();
        assertThat(peer.getNamespaceSelector()).isNull();
        assertThat(peer.getPodSelector()).isNotNull();
        assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app", "virta");
    }
}
