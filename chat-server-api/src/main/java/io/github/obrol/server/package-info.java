/**
 * The embeddable Obrol chat server: {@link io.github.obrol.server.ChatServer} and its hooks.
 *
 * <p>Package {@code io.github.obrol.server.internal} holds the Netty implementation and is not part of the
 * API: it may change in any release.
 */
package io.github.obrol.server;
