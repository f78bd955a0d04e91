package io.github.obrol.server.internal;

import io.github.obrol.protocol.LeaveReason;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Routes events between sessions: who is logged in (one set of names, unique ignoring ASCII case,
 * GEN-NAME-2, GEN-DIALECT-2), the user list, broadcasts, private messages, notices and kicks. {@link
 * LocalRouter} serves one node; a cluster implementation (many nodes, a shared log such as Redis Streams,
 * fan-out per node) implements the same contract.
 *
 * <h2>Threading</h2>
 * A session calls these methods on its own loop, one call at a time; it does not process its next frame
 * before the call's callback has run. A callback runs exactly once, either synchronously before the method
 * returns (a local implementation) or later on the calling member's {@link Member#executor()} (an
 * asynchronous one); a session handles both. Callbacks never run on another member's loop. Events for a
 * member are handed over with {@link Member#offer}, from any thread.
 *
 * <h2>Ordering (GEN-ORDER-1 to GEN-ORDER-3)</h2>
 * <ol>
 *   <li><b>Per sender.</b> Events a member routes are offered to each recipient in the order the member
 *       routed them, and a member's join is offered before, its leave after, every message it routed
 *       (GEN-ORDER-2). Sessions route one frame at a time (GEN-ORDER-1), so this is the frames' order.
 *   <li><b>Before the callback.</b> An event is offered to every local recipient before the routing
 *       call's callback runs; since a session writes its queued events before every reply, whatever a
 *       finished frame F of A caused for B is written before B's reply to any frame read after F
 *       (GEN-ORDER-3). A distributed implementation keeps this by completing the callback only once the
 *       event has its place in the shared order, and by completing {@link #list} only after the calling
 *       node has offered every event ordered before the list request.
 *   <li><b>Membership.</b> Logins and departures are serialized: a join is offered to every member logged
 *       in before it, and the login's callback runs before any later join or leave is offered to the new
 *       member; a departure frees the name before its leave notice is offered to anyone (GEN-NAME-5), and
 *       the leave notice is offered once to every remaining member (GEN-LEAVE-1).
 *   <li><b>Private messages.</b> {@link #sendTo} reports the recipient only if the message was offered to
 *       it while it was logged in and the offer was accepted (GEN-LIMIT-13); its callback runs before the
 *       recipient's leave notice can be offered to the sender, so {@code OK SENDTO x} never follows {@code
 *       LEFT x} on the sender's connection.
 * </ol>
 */
public interface Router {
  /**
   * Logs {@code member} in as {@code name}; {@code done} gets true if it is now logged in (its join was
   * offered to every other member, GEN-JOIN-1) or false if a member has the name, ignoring case
   * (GEN-NAME-4). The member's {@link Member#name()} must return {@code name} from the moment it is
   * accepted.
   */
  void login(Member member, String name, Consumer<Boolean> done);

  /**
   * {@code member} departs (once, for any reason): its name is freed, then, if {@code announce}, the leave
   * notice ({@code reason}, {@code detail} or {@code ""}) is offered to every remaining member. No-op for a
   * member that is not logged in.
   */
  void depart(Member member, LeaveReason reason, String detail, boolean announce);

  /**
   * As {@link #depart(Member, LeaveReason, String, boolean)}, then runs {@code done} once the departure has its
   * place in the order of events (synchronously, or later on the member's executor): a reply sent after it
   * (modern {@code OK QUIT}) follows the leave notice in every recipient's order (GEN-ORDER-3).
   */
  default void depart(Member member, LeaveReason reason, String detail, boolean announce, Runnable done) {
    depart(member, reason, detail, announce);
    done.run();
  }

  /** Whether a member has {@code name}, ignoring case; advisory (a later {@link #login} decides). */
  boolean isTaken(String name);

  /** The names of the logged-in users, oldest login first (GEN-LIST-1), to {@code done}. */
  void list(Member member, Consumer<List<String>> done);

  /**
   * Offers a broadcast of {@code text} from {@code from} to every other logged-in member (GEN-DELIVER-1);
   * {@code done} gets the number of members it was queued to.
   */
  void broadcast(Member from, String text, IntConsumer done);

  /**
   * Offers a private message to the member named {@code recipient} (ignoring case); {@code done} gets that
   * member's name as it logged in if the message was queued to it while it was logged in, else null
   * (GEN-DELIVER-2, GEN-LIMIT-13). Nothing is dropped silently: null means the sender is told {@code
   * NO_SUCH_USER}.
   */
  void sendTo(Member from, String recipient, String text, Consumer<String> done);

  /** Offers a notice from the server to every logged-in member; completes with how many it was queued to. */
  CompletionStage<Integer> notice(String text);

  /**
   * Offers a notice from the server to the member logged in as {@code name} (ignoring case) only; completes
   * with whether it was queued to such a member.
   */
  CompletionStage<Boolean> notice(String name, String text);

  /** Kicks the member logged in as {@code name} (ignoring case); completes with whether there was one. */
  CompletionStage<Boolean> kick(String name, String reason);

  /** The number of logged-in users. */
  int size();

  /**
   * Runs {@code done} once every event ordered before this call has been offered to this node's members
   * (GEN-ORDER-3 for replies that are not routed, such as {@code PING}). Like every callback, {@code done}
   * runs synchronously or later on {@code member}'s executor. A single node has nothing to wait for: {@link
   * LocalRouter} runs it at once. The Redis router reads the shared log's last position (one Redis round
   * trip) and waits until its reader has passed it.
   */
  default void barrier(Member member, Runnable done) {
    done.run();
  }

  /**
   * Why new logins are refused at the moment (a text for {@code LOGIN_REJECTED}), or null if they are
   * taken. A single node always takes them; a cluster node refuses them while it has lost its Redis
   * (CLUSTER-6).
   */
  default String loginsRefused() {
    return null;
  }
}
