package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Predicates over received frames and the assertions checks are written with. */
public final class Expect {
  private Expect() {}

  /** A chat message from {@code from} (exact name) with {@code text}. */
  public static Predicate<Received> message(String from, String text) {
    return r -> r.message() instanceof Event.Message
        && ((Event.Message) r.message()).from().equals(from)
        && ((Event.Message) r.message()).text().equals(text);
  }

  /** Any chat message whose sender is {@code from} ignoring case. */
  public static Predicate<Received> messageFrom(String from) {
    return r -> r.message() instanceof Event.Message && sameName(((Event.Message) r.message()).from(), from);
  }

  /** Any chat message with {@code text}, whoever it is attributed to. */
  public static Predicate<Received> messageText(String text) {
    return r -> r.message() instanceof Event.Message && ((Event.Message) r.message()).text().equals(text);
  }

  /** A join of {@code name} ignoring case. */
  public static Predicate<Received> join(String name) {
    return r -> r.message() instanceof Event.UserJoined && sameName(((Event.UserJoined) r.message()).name(), name);
  }

  /** A leave of {@code name} ignoring case. */
  public static Predicate<Received> leave(String name) {
    return r -> r.message() instanceof Event.UserLeft && sameName(((Event.UserLeft) r.message()).name(), name);
  }

  /** An error reply (or fatal error) with {@code code}. */
  public static Predicate<Received> error(ErrorCode code) {
    return r -> (r.message() instanceof Reply.Error && ((Reply.Error) r.message()).code() == code)
        || (r.message() instanceof Event.Bye && ((Event.Bye) r.message()).code() == code);
  }

  /** Any error reply. */
  public static Predicate<Received> anyError() {
    return r -> r.message() instanceof Reply.Error || r.message() instanceof Event.Bye;
  }

  /** Any chat message. */
  public static Predicate<Received> anyMessage() {
    return r -> r.message() instanceof Event.Message;
  }

  /** A frame that did not decode. */
  public static Predicate<Received> undecodable() {
    return r -> r.message() == null;
  }

  static boolean sameName(String a, String b) {
    return WireTables.key(a).equals(WireTables.key(b));
  }

  /** The frames matching {@code p}. */
  public static List<Received> matching(List<Received> frames, Predicate<Received> p) {
    return frames.stream().filter(p).collect(Collectors.toList());
  }

  /** Fails unless exactly one of {@code frames} matches. */
  public static void exactlyOnce(Peer peer, List<Received> frames, Predicate<Received> p, String what) {
    List<Received> hits = matching(frames, p);
    if (hits.size() != 1) {
      throw new CheckFailure(peer.who() + " receives " + what + " exactly once (judged "
          + peer.settle().toMillis() + " ms after the first arrived, the settle time)",
          peer.who() + " received it " + hits.size() + " times; its frames: " + frames + peer.unrecognisedSoFar());
    }
  }

  /** Fails if any of {@code frames} matches. */
  public static void none(Peer peer, List<Received> frames, Predicate<Received> p, String what) {
    List<Received> hits = matching(frames, p);
    if (!hits.isEmpty()) {
      throw new CheckFailure(peer.who() + " receives no " + what, peer.who() + " received " + hits);
    }
  }

  /** Fails unless {@code frames} holds nothing at all (a barrier found nothing pending). */
  public static void nothing(Peer peer, List<Received> frames, String context) {
    if (!frames.isEmpty()) {
      throw new CheckFailure(peer.who() + " receives nothing " + context, peer.who() + " received " + frames);
    }
  }

  /**
   * Waits up to {@code timeout} for a relevant frame matching {@code p} on {@code peer}, then runs a
   * barrier; returns every relevant frame seen (so duplicates after the match are counted too).
   */
  public static List<Received> awaitThenBarrier(Peer peer, Predicate<Received> p, Duration timeout) {
    return awaitSettleThenBarrier(peer, p, timeout, peer.settle());
  }

  /**
   * As {@link #awaitThenBarrier}, but once a match arrived keeps listening for {@code settle} before the
   * barrier, so that a late duplicate is counted (exactly-once judgements).
   */
  public static List<Received> awaitSettleThenBarrier(Peer peer, Predicate<Received> p, Duration timeout, Duration settle) {
    List<Received> seen = new ArrayList<>(peer.barrierStash());
    if (seen.stream().noneMatch(p)) {
      seen.addAll(peer.wire().until(r -> peer.relevant(r) && p.test(r), timeout).stream()
          .filter(peer::relevant).collect(Collectors.toList()));
    }
    if (seen.stream().anyMatch(p) && !settle.isZero()) {
      seen.addAll(peer.wire().until(r -> false, settle).stream().filter(peer::relevant).collect(Collectors.toList()));
    }
    seen.addAll(peer.barrier());
    return seen;
  }
}
