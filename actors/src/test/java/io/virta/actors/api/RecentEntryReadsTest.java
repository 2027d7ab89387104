package io.virta.actors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentEntryReadsTest {
    private static final StoredEvent EVENT = new StoredEvent(1, "e1", 0, 0, "{}");

    @Test
    void subscribersReadingOneEntryShareOneRead() {
        RecentEntryReads recent = new RecentEntryReads(10);
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<List<StoredEvent>> journal = new CompletableFuture<>();

        var first =
                recent.events(
                        "s/k",
                        1,
                        1,
                        () -> {
                            reads.incrementAndGet();
                            return journal;
                        });
        var second =
                recent.events(
                        "s/k",
                        1,
                        1,
                        () -> {
                            reads.incrementAndGet();
                            return journal;
                        });
        journal.complete(List.of(EVENT));
        var later =
                recent.events(
                        "s/k",
                        1,
                        1,
                        () -> {
                            reads.incrementAndGet();
                            return CompletableFuture.completedFuture(List.of());
                        });

        assertThat(reads).hasValue(1);
        assertThat(first.toCompletableFuture().join()).containsExactly(EVENT);
        assertThat(second.toCompletableFuture().join()).containsExactly(EVENT);
        assertThat(later.toCompletableFuture().join()).containsExactly(EVENT);
    }

    @Test
    void aFailedReadIsForgottenSoTheNextSubscriberReadsAgain() {
        RecentEntryReads recent = new RecentEntryReads(10);

        var failed =
                recent.events(
                        "s/k",
                        1,
                        2,
                        () -> CompletableFuture.failedFuture(new IllegalStateException("down")));
        var again =
                recent.events("s/k", 1, 2, () -> CompletableFuture.completedFuture(List.of(EVENT)));

        assertThatThrownBy(() -> failed.toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasMessageContaining("down");
        assertThat(again.toCompletableFuture().join()).containsExactly(EVENT);
    }

    @Test
    void theLeastRecentlyReadEntryGoesBeyondCapacity() {
        RecentEntryReads recent = new RecentEntryReads(2);
        AtomicInteger reads = new AtomicInteger();
        for (String key : List.of("a", "b", "a", "c", "a", "b")) {
            recent.events(
                    "s/" + key,
                    1,
                    1,
                    () -> {
                        reads.incrementAndGet();
                        return CompletableFuture.completedFuture(List.of(EVENT));
                    });
        }
        // a, b read; a kept (recent); c evicts b; a still there; b read again.
        assertThat(reads).hasValue(4);
    }
}
