/** SQL types ({@link io.virta.runtime.types.SqlType}) and their run-time JSON values. */
package io.virta.runtime.types;
