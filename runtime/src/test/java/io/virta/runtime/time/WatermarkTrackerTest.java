package io.virta.runtime.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatermarkTrackerTest {

    @Test
    void maxEventTimeMinusOutOfOrderness() {
        var t = WatermarkTracker.create(1, Duration.ofSeconds(5), Duration.ZERO);
        assertThat(t.watermark()).isEqualTo(WatermarkTracker.NONE);
        t = t.onRecord(0, 10_000, 0);
        assertThat(t.watermark()).isEqualTo(5_000);
        t = t.onRecord(0, 7_000, 1);
        assertThat(t.watermark()).isEqualTo(5_000);
    }

    @Test
    void lowestPartitionHoldsTheStreamBack() {
        var t = WatermarkTracker.create(2, Duration.ZERO, Duration.ZERO);
        t = t.onRecord(0, 10_000, 0);
        assertThat(t.watermark()).isEqualTo(WatermarkTracker.NONE);
        t = t.onRecord(1, 4_000, 0);
        assertThat(t.watermark()).isEqualTo(4_000);
        t = t.onRecord(1, 20_000, 0);
        assertThat(t.watermark()).isEqualTo(10_000);
    }

    @Test
    void idlePartitionStopsHoldingBackAndIdleStreamAdvances() {
        var t = WatermarkTracker.create(2, Duration.ofSeconds(1), Duration.ofSeconds(30));
        t = t.onRecord(0, 100_000, 0);
        t = t.onRecord(1, 50_000, 0);
        assertThat(t.watermark()).isEqualTo(49_000);
        t = t.onRecord(0, 110_000, 20_000);
        t = t.onProcessingTime(31_000);
        assertThat(t.watermark()).isEqualTo(109_000);
        t = t.onProcessingTime(60_000);
        assertThat(t.watermark()).isEqualTo(110_000 + (60_000 - 20_000 - 30_000));
    }

    @Test
    void addedPartitionsHoldTheWatermarkUntilTheySeeARecord() {
        var t = WatermarkTracker.create(1, Duration.ZERO, Duration.ZERO).withPartitions(3);
        t = t.onRecord(0, 10_000, 0).onRecord(1, 20_000, 0);
        assertThat(t.partitions()).isEqualTo(3);
        assertThat(t.watermark()).isEqualTo(WatermarkTracker.NONE);
        t = t.onRecord(2, 5_000, 0);
        assertThat(t.watermark()).isEqualTo(5_000);
        assertThat(t.withPartitions(2)).isSameAs(t);
        assertThat(t.withPartitions(4).watermark()).isEqualTo(5_000);
    }
}
