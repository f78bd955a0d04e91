package io.github.obrol.server.internal;

import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.LeaveReason;
import io.github.obrol.protocol.Names;
import io.github.obrol.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The {@link Router} of a single server node: the logged-in users in memory, every callback synchronous.
 *
 * <p>Logins, departures and private messages take one lock (the membership lock) and offer their events
 * and run their callbacks while holding it; this is what makes the {@link Router} ordering contract hold:
 * a join or leave is consistent with the user list, and {@code OK SENDTO} is decided against the same
 * membership a departure changes. Broadcasts do not take the lock: they are offered to the members logged
 * in while the list is walked, and a member that departs meanwhile refuses the offer ({@link Member#offer}
 * returns false) so nothing is counted for it.
 */
final class LocalRouter implements Router {
  private record Entry(Member member, String name, long seq) {}

  private final Object membership = new Object();
  private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Long, Entry> byLogin = new ConcurrentSkipListMap<>();
  private final Metrics metrics;
  private long loginSequence;

  LocalRouter(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void login(Member member, String name, Consumer<Boolean> done) {
    synchronized (membership) {
      String key = Names.key(name);
      if (byKey.containsKey(key)) {
        done.accept(false);
        return;
      }
      Entry e = new Entry(member, name, ++loginSequence);
      offerAll(new Event.UserJoined(name), null);
      byKey.put(key, e);
      byLogin.put(e.seq, e);
      done.accept(true);
    }
  }

  @Override
  public void depart(Member member, LeaveReason reason, String detail, boolean announce) {
    String name = member.name();
    if (name == null) {
      return;
    }
    synchronized (membership) {
      String key = Names.key(name);
      Entry e = byKey.get(key);
      if (e == null || e.member != member) {
        return;
      }
      byKey.remove(key);
      byLogin.remove(e.seq);
      if (announce) {
        offerAll(new Event.UserLeft(e.name, reason, detail == null ? "" : detail), null);
      }
    }
  }

  @Override
  public boolean isTaken(String name) {
    return byKey.containsKey(Names.key(name));
  }

  @Override
  public void list(Member member, Consumer<List<String>> done) {
    List<String> names = new ArrayList<>(byLogin.size());
    for (Entry e : byLogin.values()) {
      names.add(e.name);
    }
    done.accept(names);
  }

  @Override
  public void broadcast(Member from, String text, IntConsumer done) {
    done.accept(offerAll(new Event.Message(from.name(), text, Audience.BROADCAST), from));
  }

  @Override
  public void sendTo(Member from, String recipient, String text, Consumer<String> done) {
    synchronized (membership) {
      Entry e = byKey.get(Names.key(recipient));
      if (e == null) {
        done.accept(null);
        return;
      }
      ServerMessage m = new Event.Message(from.name(), text, Audience.PRIVATE);
      boolean queued = e.member.offer(Encoding.encode(m, e.member.dialect()));
      if (queued) {
        metrics.deliveries.increment();
      }
      done.accept(queued ? e.name : null);
    }
  }

  @Override
  public CompletionStage<Integer> notice(String text) {
    return CompletableFuture.completedFuture(offerAll(new Event.Notice(text), null));
  }

  @Override
  public CompletionStage<Boolean> notice(String name, String text) {
    synchronized (membership) { // as sendTo: decided against the membership a departure changes
      Entry e = byKey.get(Names.key(name));
      boolean queued = e != null && e.member.offer(Encoding.encode(new Event.Notice(text), e.member.dialect()));
      if (queued) {
        metrics.deliveries.increment();
      }
      return CompletableFuture.completedFuture(queued);
    }
  }

  @Override
  public CompletionStage<Boolean> kick(String name, String reason) {
    Entry e = byKey.get(Names.key(name));
    if (e == null) {
      return CompletableFuture.completedFuture(false);
    }
    e.member.kick(reason);
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public int size() {
    return byLogin.size();
  }

  /** Offers {@code message} to every logged-in member but {@code except}, encoded once per dialect; returns how many took it. */
  private int offerAll(ServerMessage message, Member except) {
    Encoding encoded = new Encoding(message);
    int n = 0;
    for (Entry e : byLogin.values()) {
      Member r = e.member;
      if (r == except) {
        continue;
      }
      if (r.offer(encoded.bytesFor(r.dialect()))) {
        n++;
      }
    }
    metrics.deliveries.add(n);
    return n;
  }

}
