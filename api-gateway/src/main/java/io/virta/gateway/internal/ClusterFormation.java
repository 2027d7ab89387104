package io.virta.gateway.internal;

import io.virta.actors.api.VirtaCluster;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * INTERNAL API: how a node finds its cluster, from {@code virta.cluster.discovery}.
 *
 * <ul>
 *   <li>{@code seed-nodes} (the default): joins {@code pekko.cluster.seed-nodes}, or itself when
 *       there are none (a cluster of one).
 *   <li>{@code kubernetes-api}: Pekko Management's cluster bootstrap finds the other pods through
 *       the Kubernetes API (pods with the configured label selector, their {@code management} port)
 *       and either joins an existing cluster or, when none exists and at least {@code
 *       required-contact-point-nr} pods answer, lets the pod with the lowest address form it. The
 *       nodes never need a fixed seed list, so a Deployment can scale freely.
 * </ul>
 *
 * <p>Pekko Management's HTTP endpoint (health checks {@code /ready} and {@code /alive}, the
 * bootstrap's contact point, read-only cluster state) starts with {@code kubernetes-api}, or with
 * {@code virta.cluster.management-enabled}.
 */
public final class ClusterFormation {
    private ClusterFormation() {}

    /** How the node joined, for the start-up log line. */
    public enum Joined {
        ITSELF,
        SEED_NODES,
        BOOTSTRAP
    }

    /** Joins {@code system} to its cluster as configured. */
    public static Joined join(ActorSystem<?> system) {
        var config = system.settings().config();
        String discovery = config.getString("virta.cluster.discovery");
        boolean bootstrap = discovery.equals("kubernetes-api");
        if (!bootstrap && !discovery.equals("seed-nodes")) {
            throw new IllegalArgumentException(
                    "virta.cluster.discovery must be seed-nodes or kubernetes-api, not '"
                            + discovery
                            + "'");
        }
        if (bootstrap || config.getBoolean("virta.cluster.management-enabled")) {
            PekkoManagement.get(system.classicSystem()).start();
        }
        if (bootstrap) {
            ClusterBootstrap.get(system.classicSystem()).start();
            return Joined.BOOTSTRAP;
        }
        return VirtaCluster.joinSelfUnlessSeeded(system) ? Joined.ITSELF : Joined.SEED_NODES;
    }
}
