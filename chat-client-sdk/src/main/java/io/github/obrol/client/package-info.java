/**
 * The Obrol client SDK: {@link io.github.obrol.client.ChatClient} talks to any Obrol-protocol server in
 * the modern or classic dialect, with futures for requests and a {@link
 * io.github.obrol.client.ChatListener} for events.
 *
 * <p>This package is the API. {@code io.github.obrol.client.internal} (the implementation) and {@code
 * io.github.obrol.client.terminal} (the {@code obrol-chat} program) are not, and may change in any release.
 */
package io.github.obrol.client;
