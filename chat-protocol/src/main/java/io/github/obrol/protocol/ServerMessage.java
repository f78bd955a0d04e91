package io.github.obrol.protocol;

/**
 * Anything a server sends: a {@link Reply} to a request, or an unsolicited {@link Event}
 * (MD-REPLY-1, MD-EVENT-1).
 */
public sealed interface ServerMessage permits Reply, Event {}
