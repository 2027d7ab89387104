package io.virta.actors.api;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * How a Virta node joins its Pekko cluster. With {@code pekko.cluster.seed-nodes} configured the
 * node joins them (Pekko does that by itself); without, it forms a cluster of its own, which is the
 * single-node default.
 */
public final class VirtaCluster {
    private VirtaCluster() {}

    /**
     * Joins {@code system} to itself unless seed nodes are configured.
     *
     * @return true when the node joined itself
     */
    public static boolean joinSelfUnlessSeeded(ActorSystem<?> system) {
        if (!system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            return false;
        }
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        return true;
    }

    /** True when this node is an Up member of its cluster. */
    public static boolean isUp(ActorSystem<?> system) {
        return Cluster.get(system).selfMember().status() == MemberStatus.up();
    }
}
