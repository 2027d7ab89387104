/**
 * Window specifications as immutable values: {@link io.virta.runtime.window.TumblingWindows},
 * {@link io.virta.runtime.window.HoppingWindows}, {@link io.virta.runtime.window.SessionWindows}.
 * They assign event times to windows and hold no state; the aggregate operator drives them.
 */
package io.virta.runtime.window;
