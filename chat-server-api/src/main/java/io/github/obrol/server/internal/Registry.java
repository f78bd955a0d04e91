package io.github.obrol.server.internal;

import io.github.obrol.protocol.ClassicServerMessageEncoder;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ModernServerMessageEncoder;
import io.github.obrol.protocol.Names;
import io.github.obrol.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The logged-in users: one set of names for both dialects (GEN-DIALECT-2), unique ignoring case
 * (GEN-NAME-2), in order of login (GEN-LIST-1).
 *
 * <p>Logins and departures take one lock, and announce themselves while holding it, so every user sees
 * joins and leaves consistent with the user list. Messages do not take the lock.
 */
final class Registry {
  private final Object membership = new Object();
  private final ConcurrentHashMap<String, NettyConnection> byKey = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Long, NettyConnection> byLogin = new ConcurrentSkipListMap<>();
  private final Metrics metrics;
  private long loginSequence;

  Registry(Metrics metrics) {
    this.metrics = metrics;
  }

  /** Whether a logged-in user has {@code name}, ignoring case. */
  boolean isTaken(String name) {
    return byKey.containsKey(Names.key(name));
  }

  /** The user logged in as {@code name}, ignoring case, or null. */
  NettyConnection find(String name) {
    return byKey.get(Names.key(name));
  }

  /**
   * Logs {@code c} in as {@code name} and announces {@code join} to every other user; false if the name is
   * taken (GEN-NAME-4, GEN-JOIN-1).
   */
  boolean login(NettyConnection c, String name, ServerMessage join) {
    synchronized (membership) {
      if (byKey.putIfAbsent(Names.key(name), c) != null) {
        return false;
      }
      long seq = ++loginSequence;
      c.loggedIn(name, seq);
      deliver(join, byLogin.values(), null);
      byLogin.put(seq, c);
      return true;
    }
  }

  /**
   * Frees the name of {@code c} and then, if {@code leave} is not null, announces it to every remaining user
   * (GEN-NAME-5, GEN-LEAVE-1).
   */
  void depart(NettyConnection c, String name, long seq, ServerMessage leave) {
    synchronized (membership) {
      byKey.remove(Names.key(name), c);
      byLogin.remove(seq, c);
      if (leave != null) {
        deliver(leave, byLogin.values(), null);
      }
    }
  }

  /** The names of the logged-in users, oldest login first. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (NettyConnection c : byLogin.values()) {
      String n = c.userName();
      if (n != null) {
        names.add(n);
      }
    }
    return names;
  }

  int size() {
    return byLogin.size();
  }

  Collection<NettyConnection> users() {
    return byLogin.values();
  }

  /**
   * Enqueues {@code message} for every connection of {@code recipients} but {@code except}, encoding it once
   * per dialect; returns the number of recipients.
   */
  int deliver(ServerMessage message, Iterable<NettyConnection> recipients, NettyConnection except) {
    byte[] classic = null;
    byte[] modern = null;
    int n = 0;
    for (NettyConnection r : recipients) {
      if (r == except) {
        continue;
      }
      byte[] bytes;
      if (r.dialect() == Dialect.CLASSIC) {
        bytes = classic != null ? classic : (classic = ClassicServerMessageEncoder.encode(message));
      } else {
        bytes = modern != null ? modern : (modern = ModernServerMessageEncoder.encode(message));
      }
      Dispatch.enqueue(r, bytes);
      n++;
    }
    metrics.deliveries.add(n);
    return n;
  }
}
