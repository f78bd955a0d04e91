package io.github.obrol.server.internal;

import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.LeaveReason;
import io.github.obrol.protocol.Names;
import io.github.obrol.protocol.ServerMessage;
import io.github.obrol.server.ClusterOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.channel.EventLoop;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Router} of one node of a cluster over Redis (PROTOCOL.md section 9).
 *
 * <h2>How it works</h2>
 * Every event (login, departure, broadcast, private message, notice, kick) is one Lua script call
 * ({@link RedisScripts}) that checks what must be checked (name free, sender and recipient logged in) and
 * appends one entry to one shared Redis stream, {@code obrol:log}: one Redis command per event, whatever the
 * number of recipients and nodes. Each node reads the stream with {@code XREAD BLOCK} on a connection of its
 * own and, on one of the server's event loops (the <em>fan-out loop</em>), applies every entry in the
 * stream's order: it keeps a view of who is logged in (rebuilt from the {@code users} hash at start) and
 * offers the entry's event to its own members. The stream's order is thus every node's order of events
 * (GEN-ORDER-1..3, GEN-NAME-5 across nodes).
 *
 * <p>A routing call's callback runs once the calling node has applied the call's own entry (or, for a
 * refusal, every entry up to the log's last id when the refusal was decided); until the callback has run on
 * the member's loop, events for that member are held back, so a reply never follows an event ordered after
 * it and never precedes one ordered before it. Hence OK is sent only after the entry is in Redis (CLUSTER-4),
 * and a reply follows every event ordered before the frame it answers (GEN-ORDER-3; PING through {@link
 * #barrier}, one extra Redis round trip).
 *
 * <h2>Presence and failures</h2>
 * Each node refreshes a heartbeat key with expiry ({@code 0.8 x} node timeout) every tenth of the node
 * timeout, and then runs the reaper script, which announces (once, atomically) the users of every node whose
 * heartbeat expired (CLUSTER-3). Lettuce reconnects by itself and sends again what it had not completed;
 * scripts are idempotent (a per-member sequence number), and the reader resumes from the last id it applied,
 * so a short outage loses and repeats nothing (CLUSTER-5). A node whose heartbeat has not succeeded for the
 * node timeout, or that finds itself reaped, gives its users up ({@code SHUTTING_DOWN}), refuses logins, and
 * rejoins by itself once Redis answers (CLUSTER-6).
 */
final class RedisRouter implements ClusterRouter {
  private static final Logger log = LoggerFactory.getLogger(RedisRouter.class);
  /** Approximate length the stream is trimmed to: several seconds of traffic at any rate a node sustains. */
  static final long STREAM_MAX_LENGTH = 200_000;
  private static final int READ_BATCH = 1024;
  private static final int READ_BLOCK_MILLIS = 1000;
  private static final long START_TIMEOUT_SECONDS = 10;

  private record Sid(long ms, long seq) implements Comparable<Sid> {
    static final Sid ZERO = new Sid(0, 0);

    static Sid parse(String id) {
      int dash = id.indexOf('-');
      return dash < 0 ? new Sid(Long.parseLong(id), 0)
          : new Sid(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    }

    @Override
    public int compareTo(Sid o) {
      int c = Long.compare(ms, o.ms);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public String toString() {
      return ms + "-" + seq;
    }
  }

  /** A logged-in user anywhere in the cluster, as this node's view has it. */
  private record User(String name, String node, long member, Sid joined) {}

  /** One of this node's logged-in members; events are held back while a callback for it is on its way. */
  private static final class Local {
    final Member member;
    final String key;
    List<byte[]> held;

    Local(Member member, String key) {
      this.member = member;
      this.key = key;
    }
  }

  /** A call waiting for its own entry; {@code member} null for an administrator's call. */
  private record Pending(Member member, Consumer<Object> done, Object failed) {}

  private record Waiter(Sid until, Member member, Runnable done) {}

  private final ClusterOptions options;
  private final Metrics metrics;
  private final String incarnation;
  private final long heartbeatTtlMillis;
  private final long tickNanos;
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Member> joining = new ConcurrentHashMap<>();
  /** The view: every logged-in user of the cluster by name key. Written on the fan-out loop only. */
  private final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();
  // Fan-out loop only:
  private final TreeMap<Sid, User> byLogin = new TreeMap<>();
  private final HashMap<Long, Local> locals = new HashMap<>();
  private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> a.until.compareTo(b.until));
  private Sid applied = Sid.ZERO;
  private long epoch;
  private long lastHeartbeatOk;
  private boolean heartbeatInFlight;
  private boolean recovering;

  private volatile boolean detached;
  /** How many times this node gave its users up: a call from before is not sent again after. */
  private volatile long detachCount;
  private volatile boolean closing;
  private volatile String refusal;
  private ClientResources resources;
  private RedisClient client;
  private StatefulRedisConnection<String, String> commands;
  private StatefulRedisConnection<String, String> reader;
  private RedisAsyncCommands<String, String> redis;
  private final Map<String, String> shas = new ConcurrentHashMap<>();
  private EventLoop loop;

  private RedisRouter(ClusterOptions options, Metrics metrics) {
    this.options = options;
    this.metrics = metrics;
    this.incarnation = options.nodeId() + "." + Long.toHexString(new SecureRandom().nextLong() >>> 16);
    long timeout = options.nodeTimeout().toMillis();
    this.heartbeatTtlMillis = timeout * 4 / 5;
    this.tickNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(100, timeout / 10));
  }

  /** A router for {@code options}; typed {@link Router} so that callers need no Lettuce class to load. */
  static ClusterRouter create(ClusterOptions options, Metrics metrics) {
    return new RedisRouter(options, metrics);
  }

  /** This node's incarnation: its node id and a random suffix, unique to this run. */
  String incarnation() {
    return incarnation;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Connects (blocking, bounded by the connect timeout), registers this node, reads the current users and
   * starts reading the log and the heartbeat on {@code fanOutLoop}.
   */
  @Override
  public void start(EventLoop fanOutLoop) {
    this.loop = fanOutLoop;
    RedisURI uri = RedisURI.create(options.redisUri());
    resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(1)
        // Reconnect soon after a short outage, then at most once a second (each failed attempt logs a warning).
        .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
        // No command times out: a command waits for Redis to come back; the node gives its users up after the
        // node timeout instead (CLUSTER-6). Each session has at most one command in flight, so the queue is bounded.
        .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(3)).keepAlive(true).build())
        .build());
    try {
      // Bounded: commands have no timeout of their own, and a Redis that accepts but does not answer (stopped) must
      // not hang the start.
      commands = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      reader = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      redis = commands.async();
      List<Object> snapshot = redis.<List<Object>>eval(RedisScripts.REGISTER, ScriptOutputType.MULTI, new String[0],
          args(0, 0, Long.toString(heartbeatTtlMillis))).toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      lastHeartbeatOk = System.nanoTime();
      CompletableFuture<Void> installed = new CompletableFuture<>();
      loop.execute(() -> {
        install(snapshot);
        installed.complete(null);
      });
      installed.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      closeClient();
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      String why = cause instanceof java.util.concurrent.TimeoutException ? "Redis did not answer within "
          + START_TIMEOUT_SECONDS + " s" : String.valueOf(cause.getMessage());
      throw new IllegalStateException("cannot join the cluster at " + options.redactedUri() + ": " + why, e);
    }
    loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    log.info("cluster node {} joined over {} ({} users in the cluster)", incarnation, options.redactedUri(), users.size());
  }

  /**
   * Leaves the cluster: waits (bounded) for the departures of this node's users, then announces whoever is left
   * to the other nodes and forgets this node in Redis.
   */
  @Override
  public CompletableFuture<Void> close(Duration timeout) {
    closing = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (redis == null) {
      done.complete(null);
      return done;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture.runAsync(() -> {
      try {
        // The departures were sent before this on the same connection: this script runs after them.
        redis.eval(RedisScripts.REAP, ScriptOutputType.MULTI, new String[0],
            args(0, 0, incarnation, LeaveReason.SHUTDOWN.name(), "0"))
            .toCompletableFuture().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        log.warn("cluster node {}: could not leave the cluster cleanly ({}); the others announce its users"
            + " within the node timeout", incarnation, e.toString());
      } finally {
        closeClient();
        done.complete(null);
      }
    });
    return done;
  }

  private void closeClient() {
    try {
      if (reader != null) {
        reader.closeAsync();
      }
      if (commands != null) {
        commands.closeAsync();
      }
      if (client != null) {
        client.shutdownAsync(0, 1, TimeUnit.SECONDS);
      }
      if (resources != null) {
        resources.shutdown(0, 1, TimeUnit.SECONDS);
      }
    } catch (RuntimeException e) {
      log.debug("closing the Redis client", e);
    }
  }

  /** Takes a snapshot from {@link RedisScripts#REGISTER}: the view, and the reader's start. On the loop. */
  private void install(List<Object> snapshot) {
    users.clear();
    byLogin.clear();
    applied = Sid.parse((String) snapshot.get(1));
    for (int i = 2; i + 1 < snapshot.size(); i += 2) {
      String key = (String) snapshot.get(i);
      String[] v = ((String) snapshot.get(i + 1)).split("\t", 4);
      User u = new User(v[3], v[0], Long.parseLong(v[1]), Sid.parse(v[2]));
      users.put(key, u);
      byLogin.put(u.joined, u);
    }
    epoch++;
    detached = false;
    refusal = null;
    read(epoch);
  }

  // ---------------------------------------------------------------- Router

  @Override
  public void login(Member member, String name, Consumer<Boolean> done) {
    long seq = sequence.incrementAndGet();
    pending.put(seq, new Pending(member, v -> done.accept((Boolean) v), Boolean.FALSE));
    joining.put(member.id(), member);
    script(RedisScripts.LOGIN, seq, member, Names.key(name), name).whenComplete((r, t) -> {
      if (t == null && "no".equals(r.get(0))) {
        joining.remove(member.id());
        refuse(seq, Sid.parse((String) r.get(1)));
      } else {
        settle(seq, r, t);
      }
    });
  }

  @Override
  public void depart(Member member, LeaveReason reason, String detail, boolean announce) {
    depart(member, reason, detail, announce, null);
  }

  @Override
  public void depart(Member member, LeaveReason reason, String detail, boolean announce, Runnable done) {
    String name = member.name();
    if (name == null || detached) {
      // While detached, this node's users were given up; the reaper announces them (CLUSTER-6).
      if (done != null) {
        done.run();
      }
      return;
    }
    long seq = sequence.incrementAndGet();
    script(RedisScripts.DEPART, seq, member, Names.key(name), reason.name(), detail == null ? "" : detail,
        announce ? "" : incarnation).whenComplete((r, t) -> {
          if (t != null) {
            log.debug("departure of {} not written: {}", name, t.toString());
          }
          if (done != null) {
            try {
              member.executor().execute(() -> {
                done.run();
                Dispatch.flush();
              });
            } catch (RejectedExecutionException e) {
              // The loop is shutting down: the connection is being closed anyway.
            }
          }
        });
  }

  @Override
  public boolean isTaken(String name) {
    return users.containsKey(Names.key(name));
  }

  @Override
  public void list(Member member, Consumer<List<String>> done) {
    barrierThen(member, () -> {
      List<String> names = new ArrayList<>(byLogin.size());
      for (User u : byLogin.values()) {
        names.add(u.name);
      }
      return names;
    }, done);
  }

  @Override
  public void barrier(Member member, Runnable done) {
    barrierThen(member, () -> null, x -> done.run());
  }

  /** Reads the log's last id, waits until the reader passed it, then computes {@code value} on the loop. */
  private <T> void barrierThen(Member member, java.util.function.Supplier<T> value, Consumer<T> done) {
    script(RedisScripts.LAST_ID, 0, member).whenComplete((r, t) -> run(() -> {
      Sid until = t == null && "ok".equals(r.get(0)) ? Sid.parse((String) r.get(1)) : Sid.ZERO;
      if (t != null) {
        log.debug("barrier failed: {}", t.toString());
      }
      waitFor(until, member, () -> {
        T v = value.get();
        complete(member, () -> done.accept(v));
      });
    }));
  }

  @Override
  public void broadcast(Member from, String text, IntConsumer done) {
    long seq = sequence.incrementAndGet();
    pending.put(seq, new Pending(from, v -> done.accept((Integer) v), 0));
    script(RedisScripts.BROADCAST, seq, from, Names.key(from.name()), from.name(), text)
        .whenComplete((r, t) -> settle(seq, r, t));
  }

  @Override
  public void sendTo(Member from, String recipient, String text, Consumer<String> done) {
    long seq = sequence.incrementAndGet();
    pending.put(seq, new Pending(from, v -> done.accept((String) v), null));
    script(RedisScripts.SEND_TO, seq, from, Names.key(from.name()), from.name(), Names.key(recipient), text)
        .whenComplete((r, t) -> {
          if (t == null && "no".equals(r.get(0))) {
            refuse(seq, Sid.parse((String) r.get(1)));
          } else {
            settle(seq, r, t);
          }
        });
  }

  @Override
  public CompletionStage<Integer> notice(String text) {
    return admin("N", "", text).thenApply(v -> v instanceof Integer n ? n : 0);
  }

  @Override
  public CompletionStage<Boolean> notice(String name, String text) {
    return admin("U", Names.key(name), text).thenApply(Boolean.TRUE::equals);
  }

  @Override
  public CompletionStage<Boolean> kick(String name, String reason) {
    return admin("K", Names.key(name), reason).thenApply(Boolean.TRUE::equals);
  }

  private CompletableFuture<Object> admin(String kind, String key, String text) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    if (detached || closing) {
      f.complete(Boolean.FALSE);
      return f;
    }
    long seq = sequence.incrementAndGet();
    pending.put(seq, new Pending(null, f::complete, Boolean.FALSE));
    script(RedisScripts.ADMIN, seq, null, key, kind, text).whenComplete((r, t) -> {
      if (t == null && "no".equals(r.get(0))) {
        refuse(seq, Sid.parse((String) r.get(1)));
      } else {
        settle(seq, r, t);
      }
    });
    return f;
  }

  @Override
  public int size() {
    return users.size();
  }

  @Override
  public String loginsRefused() {
    return refusal;
  }

  // ---------------------------------------------------------------- script calls and their outcomes

  private String[] args(long seq, long member, String... more) {
    String[] a = new String[4 + more.length];
    a[0] = incarnation;
    a[1] = Long.toString(seq);
    a[2] = Long.toString(member);
    a[3] = Long.toString(STREAM_MAX_LENGTH);
    System.arraycopy(more, 0, a, 4, more.length);
    return a;
  }

  /**
   * Runs {@code script} by its SHA-1 (EVALSHA; the body once, with EVAL, where Redis does not have it, as
   * after a restart). A call that failed because the connection broke (Lettuce fails the command it was
   * waiting for) is sent again until Redis answers or the node gives up (CLUSTER-6): it may have run already,
   * so every script is idempotent (a per-member sequence number, an owner check). A sender has one call in
   * flight at a time, so a call sent again cannot overtake another of the same sender.
   */
  private CompletableFuture<List<Object>> script(String body, long seq, Member member, String... more) {
    return script(body, seq, member == null ? 0 : member.id(), more);
  }

  private CompletableFuture<List<Object>> script(String body, long seq, long memberId, String... more) {
    String[] a = args(seq, memberId, more);
    CompletableFuture<List<Object>> out = new CompletableFuture<>();
    attempt(body, a, out, detachCount);
    return out;
  }

  private void attempt(String body, String[] a, CompletableFuture<List<Object>> out, long detachedBefore) {
    String sha = shas.computeIfAbsent(body, RedisRouter::sha1);
    redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, new String[0], a).whenComplete((r, t) -> {
      if (t == null) {
        out.complete(r);
      } else if (String.valueOf(t.getMessage()).startsWith("NOSCRIPT")) {
        redis.<List<Object>>eval(body, ScriptOutputType.MULTI, new String[0], a).whenComplete((r2, t2) -> {
          if (t2 == null) {
            out.complete(r2);
          } else {
            retryOrFail(body, a, out, detachedBefore, t2);
          }
        });
      } else {
        retryOrFail(body, a, out, detachedBefore, t);
      }
    });
  }

  private void retryOrFail(String body, String[] a, CompletableFuture<List<Object>> out, long detachedBefore, Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    boolean redisSaidNo = cause instanceof io.lettuce.core.RedisCommandExecutionException;
    if (redisSaidNo || closing || detachCount != detachedBefore) {
      out.completeExceptionally(cause);
      return;
    }
    log.debug("a Redis call failed ({}); sending it again", cause.toString());
    try {
      loop.schedule(() -> attempt(body, a, out, detachedBefore), 50, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(cause);
    }
  }

  private static String sha1(String s) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (byte x : d) {
        b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
      }
      return b.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A script's answer: {@code ok} and {@code dup} wait for the entry (the reader completes the call); {@code
   * gone} (the node or the sender was given up) and failures end the member's connection, then run the
   * callback with {@code failed} (the session, closed by then, sends nothing).
   */
  private void settle(long seq, List<Object> r, Throwable t) {
    if (t == null && ("ok".equals(r.get(0)) || "dup".equals(r.get(0)))) {
      return;
    }
    run(() -> {
      Pending p = pending.remove(seq);
      if (p == null) {
        return;
      }
      String why = t != null ? "the cluster's Redis failed: " + t.getMessage() : "this node left the cluster";
      log.debug("call {} failed: {}", seq, why);
      if (p.member != null) {
        joining.remove(p.member.id());
        p.member.shutDown(why);
        complete(p.member, () -> p.done.accept(p.failed));
      } else {
        p.done.accept(p.failed);
      }
    });
  }

  /** A refusal decided in Redis when the log ended at {@code until}: answered once the reader passed it. */
  private void refuse(long seq, Sid until) {
    run(() -> waitFor(until, null, () -> {
      Pending p = pending.remove(seq);
      if (p != null) {
        completePending(p, p.failed);
      }
    }));
  }

  private void completePending(Pending p, Object value) {
    if (p.member == null) {
      p.done.accept(value);
    } else {
      complete(p.member, () -> p.done.accept(value));
    }
  }

  /**
   * Runs {@code callback} on {@code member}'s loop; events for the member offered meanwhile are held back and
   * handed over after it (on the loop), so the reply it writes stays in the log's order. On the fan-out loop.
   */
  private void complete(Member member, Runnable callback) {
    Local l = locals.get(member.id());
    if (l != null) {
      synchronized (l) {
        if (l.held == null) {
          l.held = new ArrayList<>();
        }
      }
    }
    try {
      member.executor().execute(() -> {
        try {
          callback.run();
        } finally {
          release(l);
          Dispatch.flush();
        }
      });
    } catch (RejectedExecutionException e) {
      release(l);
    }
  }

  private static void release(Local l) {
    if (l == null) {
      return;
    }
    synchronized (l) {
      if (l.held != null) {
        for (byte[] b : l.held) {
          l.member.offer(b);
        }
        l.held = null;
      }
    }
  }

  private static boolean offer(Local l, byte[] bytes) {
    synchronized (l) {
      if (l.held != null) {
        l.held.add(bytes);
        return true;
      }
    }
    return l.member.offer(bytes);
  }

  /** Runs {@code task} once the reader has applied every entry up to {@code until}. On the loop. */
  private void waitFor(Sid until, Member member, Runnable task) {
    if (applied.compareTo(until) >= 0 || detached) {
      task.run();
    } else {
      waiters.add(new Waiter(until, member, task));
    }
  }

  private void releaseWaiters(boolean all) {
    while (!waiters.isEmpty() && (all || applied.compareTo(waiters.peek().until) >= 0)) {
      waiters.poll().done.run();
    }
  }

  /** Runs {@code task} on the fan-out loop, then hands over the deliveries it queued. */
  private void run(Runnable task) {
    Runnable wrapped = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("cluster router task failed", e);
      } finally {
        Dispatch.flush();
      }
    };
    if (loop.inEventLoop()) {
      wrapped.run();
    } else {
      try {
        loop.execute(wrapped);
      } catch (RejectedExecutionException e) {
        // The server is stopping.
      }
    }
  }

  // ---------------------------------------------------------------- the reader

  private void read(long readEpoch) {
    if (closing || readEpoch != epoch) {
      return;
    }
    reader.async().xread(XReadArgs.Builder.block(READ_BLOCK_MILLIS).count(READ_BATCH),
        XReadArgs.StreamOffset.from(RedisScripts.LOG, applied.toString()))
        .whenComplete((batch, t) -> run(() -> onRead(readEpoch, batch, t)));
  }

  private void onRead(long readEpoch, List<StreamMessage<String, String>> batch, Throwable t) {
    if (closing || readEpoch != epoch) {
      return;
    }
    if (t != null) {
      log.debug("reading the log failed: {}", t.toString());
      loop.schedule(() -> read(readEpoch), 100, TimeUnit.MILLISECONDS);
      return;
    }
    if (batch != null) {
      for (StreamMessage<String, String> m : batch) {
        Sid id = Sid.parse(m.getId());
        if (id.compareTo(applied) <= 0) {
          continue;
        }
        applied = id;
        try {
          apply(id, m.getBody());
        } catch (RuntimeException e) {
          log.warn("cluster log entry {} could not be applied", m.getId(), e);
        }
      }
    }
    releaseWaiters(false);
    read(readEpoch);
  }

  private void apply(Sid id, Map<String, String> e) {
    String type = e.getOrDefault("t", "");
    String node = e.getOrDefault("o", "");
    boolean mine = incarnation.equals(node);
    long member = parseLong(e.get("m"));
    long seq = parseLong(e.get("s"));
    Pending p = mine && seq != 0 ? pending.remove(seq) : null;
    switch (type) {
      case "J" -> {
        String name = e.get("n");
        User u = new User(name, node, member, id);
        String key = Names.key(name);
        users.put(key, u);
        byLogin.put(id, u);
        offerAll(new Event.UserJoined(name), null);
        if (mine) {
          Member m = joining.remove(member);
          if (m == null) {
            // Its connection was given up while the login was on its way: the login must not outlive it.
            script(RedisScripts.DEPART, sequence.incrementAndGet(), member, key, LeaveReason.DISCONNECTED.name(), "", "");
          } else {
            Local l = new Local(m, key);
            l.held = new ArrayList<>(); // nothing reaches it before its login is answered
            locals.put(member, l);
            if (p == null) {
              l.held = null; // its call was settled otherwise (its connection is closing): nothing to hold for
            } else {
              Pending q = p;
              complete(m, () -> {
                q.done.accept(Boolean.TRUE);
                if (!m.accepting()) {
                  // It closed while logging in: it departed without a name; its login must not outlive it.
                  script(RedisScripts.DEPART, sequence.incrementAndGet(), m, key, LeaveReason.DISCONNECTED.name(), "", "");
                }
              });
            }
          }
        }
      }
      case "L" -> {
        String name = e.get("n");
        String key = Names.key(name);
        User u = users.get(key);
        if (u != null && u.node.equals(node) && u.member == member) {
          users.remove(key);
          byLogin.remove(u.joined);
        }
        if (mine) {
          locals.remove(member);
        }
        if (!incarnation.equals(e.get("q"))) {
          offerAll(new Event.UserLeft(name, leaveReason(e.get("r")), e.getOrDefault("d", "")), null);
        }
      }
      case "M" -> {
        Local sender = mine ? locals.get(member) : null;
        int n = offerAll(new Event.Message(e.get("f"), e.get("x"), Audience.BROADCAST),
            sender != null ? sender.member : null);
        if (p != null) {
          completePending(p, n);
        }
      }
      case "P" -> {
        User to = users.get(e.get("k"));
        if (to != null && to.node.equals(incarnation)) {
          Local l = locals.get(to.member);
          if (l != null) {
            ServerMessage msg = new Event.Message(e.get("f"), e.get("x"), Audience.PRIVATE);
            if (offer(l, Encoding.encode(msg, l.member.dialect()))) {
              metrics.deliveries.increment();
            }
          }
        }
        if (p != null) {
          completePending(p, to != null ? to.name : e.get("k"));
        }
      }
      case "N" -> {
        int n = offerAll(new Event.Notice(e.get("x")), null);
        if (p != null) {
          completePending(p, n);
        }
      }
      case "U", "K" -> {
        User to = users.get(e.get("k"));
        if (to != null && to.node.equals(incarnation)) {
          Local l = locals.get(to.member);
          if (l != null) {
            if (type.equals("K")) {
              l.member.kick(e.get("x"));
            } else if (offer(l, Encoding.encode(new Event.Notice(e.get("x")), l.member.dialect()))) {
              metrics.deliveries.increment();
            }
          }
        }
        if (p != null) {
          completePending(p, Boolean.TRUE);
        }
      }
      default -> log.debug("unknown cluster log entry type {}", type);
    }
  }

  private static LeaveReason leaveReason(String r) {
    try {
      return LeaveReason.valueOf(r);
    } catch (RuntimeException e) {
      return LeaveReason.DISCONNECTED;
    }
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Offers {@code message} to every local member but {@code except}, encoded once per dialect. */
  private int offerAll(ServerMessage message, Member except) {
    Encoding encoded = new Encoding(message);
    int n = 0;
    for (Local l : locals.values()) {
      Member r = l.member;
      if (r == except) {
        continue;
      }
      if (offer(l, encoded.bytesFor(r.dialect()))) {
        n++;
      }
    }
    metrics.deliveries.add(n);
    return n;
  }


  // ---------------------------------------------------------------- heartbeat, reaper, losing Redis

  /** Every tenth of the node timeout, on the loop. */
  private void tick() {
    if (closing) {
      return;
    }
    long now = System.nanoTime();
    if (!detached && now - lastHeartbeatOk > options.nodeTimeout().toNanos()) {
      detach("this node lost the cluster's Redis for " + options.nodeTimeout().toSeconds() + " s; log in again");
    }
    if (detached) {
      recover();
      return;
    }
    if (heartbeatInFlight) {
      return; // Redis does not answer: commands wait; the node timeout decides
    }
    heartbeatInFlight = true;
    script(RedisScripts.HEARTBEAT, 0, null, Long.toString(heartbeatTtlMillis)).whenComplete((r, t) -> run(() -> {
      heartbeatInFlight = false;
      if (t != null || detached) {
        return;
      }
      if ("gone".equals(r.get(0))) {
        detach("this node was taken for dead by the cluster; log in again");
        recover();
        return;
      }
      lastHeartbeatOk = System.nanoTime();
      script(RedisScripts.REAP, 0, null, "", LeaveReason.DISCONNECTED.name(), "1").whenComplete((r2, t2) -> {
        if (t2 == null && r2.size() > 1 && !"0".equals(r2.get(1))) {
          log.info("cluster node {}: announced the departure of {} users of nodes that stopped", incarnation, r2.get(1));
        }
      });
    }));
  }

  /** Gives this node's users up and refuses logins until Redis answers again (CLUSTER-6). On the loop. */
  private void detach(String why) {
    if (detached) {
      return;
    }
    log.warn("cluster node {}: {}; giving up {} users, refusing logins until Redis answers", incarnation, why, locals.size());
    detached = true;
    detachCount++;
    refusal = "the chat cluster is unavailable at the moment (its Redis does not answer); try again later";
    epoch++; // the reader stops; it restarts from a fresh snapshot
    for (Local l : locals.values()) {
      l.member.shutDown(why);
    }
    for (Member m : joining.values()) {
      m.shutDown(why);
    }
    locals.clear();
    joining.clear();
    for (Long seq : List.copyOf(pending.keySet())) {
      Pending p = pending.remove(seq);
      if (p != null) {
        completePending(p, p.failed);
      }
    }
    releaseWaiters(true);
    users.clear();
    byLogin.clear();
  }

  /** Announces this node's remaining users as departed and registers it again with a fresh view. */
  private void recover() {
    if (recovering || closing) {
      return;
    }
    recovering = true;
    script(RedisScripts.REAP, 0, null, incarnation, LeaveReason.DISCONNECTED.name(), "1")
        .thenCompose(r -> script(RedisScripts.REGISTER, 0, null, Long.toString(heartbeatTtlMillis)))
        .whenComplete((snapshot, t) -> run(() -> {
          recovering = false;
          if (t != null || closing) {
            return;
          }
          lastHeartbeatOk = System.nanoTime();
          install(snapshot);
          log.info("cluster node {}: Redis answers again; taking logins ({} users in the cluster)", incarnation, users.size());
        }));
  }
}
