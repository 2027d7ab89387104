package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * INTERNAL API: a Pulsar connector's options: {@code subscription.type} ({@code Failover}, the
 * default, or {@code Key_Shared}) and {@code admin.url} (the web service, for the backlog a source
 * reports as its lag) are the connector's; every other option goes to the client's configuration
 * ({@code PulsarClient.builder().loadConf}), e.g. {@code authPluginClassName}.
 */
final class PulsarOptions {
    private static final Pattern PARTITION = Pattern.compile("-partition-(\\d+)$");

    private PulsarOptions() {}

    static boolean keyShared(ConnectorSpec spec) {
        return spec.clientOptions()
                .getOrDefault("subscription.type", "Failover")
                .equalsIgnoreCase("key_shared");
    }

    /** The admin web service URL, or null. */
    static String adminUrl(ConnectorSpec spec) {
        return spec.clientOptions().get("admin.url");
    }

    /** {@code tenant/namespace/topic} of the spec's topic (default tenant and namespace). */
    static String topicPath(ConnectorSpec spec) {
        String topic = spec.topic().replaceFirst("^(persistent|non-persistent)://", "");
        return topic.contains("/") ? topic : "public/default/" + topic;
    }

    /**
     * The index of a partition topic ({@code <topic>-partition-<n>}); 0 for a topic unpartitioned.
     */
    static int partitionIndex(String topicName) {
        Matcher m = PARTITION.matcher(topicName);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static Map<String, Object> client(ConnectorSpec spec) {
        Map<String, Object> conf = new HashMap<>(spec.clientOptions());
        conf.remove("subscription.type");
        conf.remove("admin.url");
        return conf;
    }
}
