package io.virta.actors.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: which due timers a clock tells its keys now. A window boundary makes every key's
 * timer due at once; telling them all would start as many checkpoints and output writes together
 * and overload the journal. So at most {@code maxInFlight} keys are told and not yet answered; each
 * answer lets the next due key go, earliest timer first. A key that does not answer within {@code
 * refireAfterMillis} is told again (it may have been moving or restarting). Not thread-safe: used
 * from the clock's own message handling only.
 */
final class TimerFiring {

    /** Key {@code entityId}'s timer at {@code fireAt} is due. */
    record Due(String entityId, long fireAt) {}

    private static final Comparator<Due> EARLIEST_FIRST =
            Comparator.comparingLong(Due::fireAt).thenComparing(Due::entityId);

    private final int maxInFlight;
    private final long refireAfterMillis;
    private final Map<String, Long> toldAt = new HashMap<>();
    private final ArrayDeque<Due> waiting = new ArrayDeque<>();

    TimerFiring(int maxInFlight, long refireAfterMillis) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.refireAfterMillis = refireAfterMillis;
    }

    /**
     * Plans again from the timers in force and the watermark: the due timers of keys not told
     * recently wait their turn; returns those to tell now.
     */
    List<Due> plan(Map<String, Long> timers, long watermark, long now) {
        toldAt.values().removeIf(at -> now - at >= refireAfterMillis);
        waiting.clear();
        List<Due> due = new ArrayList<>();
        timers.forEach(
                (id, at) -> {
                    if (at <= watermark && !toldAt.containsKey(id)) {
                        due.add(new Due(id, at));
                    }
                });
        due.sort(EARLIEST_FIRST);
        waiting.addAll(due);
        return next(now);
    }

    /** Key {@code entityId} answered its timer: returns the due keys to tell in its place. */
    List<Due> answered(String entityId, long now) {
        toldAt.remove(entityId);
        return next(now);
    }

    /** Keys told and not answered yet. */
    int inFlight() {
        return toldAt.size();
    }

    private List<Due> next(long now) {
        List<Due> tell = new ArrayList<>();
        while (toldAt.size() < maxInFlight && !waiting.isEmpty()) {
            Due due = waiting.poll();
            if (toldAt.putIfAbsent(due.entityId(), now) == null) {
                tell.add(due);
            }
        }
        return tell;
    }
}
