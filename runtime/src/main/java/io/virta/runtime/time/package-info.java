/**
 * Event time: {@link io.virta.runtime.time.WatermarkTracker}, an immutable watermark per stream.
 * Processing time is always an input; nothing here reads a clock.
 */
package io.virta.runtime.time;
