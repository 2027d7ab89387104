/** INTERNAL API: the HTTP routes of the gateway, request parsing and JSON responses. */
package io.virta.gateway.internal;
