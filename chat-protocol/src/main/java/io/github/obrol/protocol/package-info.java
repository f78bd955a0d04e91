/**
 * The Obrol chat protocol: one model, two wire dialects, no runtime dependencies.
 *
 * <p>The normative specification is {@code PROTOCOL.md}, shipped in this package as a resource and
 * read by {@link io.github.obrol.protocol.RuleCatalog}. Classes here cite the rule IDs they implement.
 *
 * <ul>
 *   <li>Model: {@link io.github.obrol.protocol.ClientCommand} (client to server),
 *       {@link io.github.obrol.protocol.ServerMessage} with its {@link io.github.obrol.protocol.Reply}
 *       and {@link io.github.obrol.protocol.Event} branches, {@link io.github.obrol.protocol.ErrorCode}.
 *   <li>Framing: {@link io.github.obrol.protocol.LineFramer}, {@link io.github.obrol.protocol.ClassicFramer},
 *       {@link io.github.obrol.protocol.DialectDetector}.
 *   <li>Codecs, one per dialect and direction: {@code Classic/Modern} x {@code Command/ServerMessage} x
 *       {@code Encoder/Decoder}. Decoders never throw on bad input; they return
 *       {@link io.github.obrol.protocol.DecodeResult} values.
 * </ul>
 *
 * <p>All types are immutable and thread-safe except the framers and
 * {@link io.github.obrol.protocol.ClassicServerMessageDecoder}, which hold one connection's state.
 */
package io.github.obrol.protocol;
