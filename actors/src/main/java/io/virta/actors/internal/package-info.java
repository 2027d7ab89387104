/**
 * INTERNAL API: the event-sourced entities behind {@link io.virta.actors.api.EventStore}, their
 * messages and settings. Other modules use the {@code api} package; an ArchUnit test enforces it.
 */
package io.virta.actors.internal;
