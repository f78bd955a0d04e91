package io.github.obrol.server.cli;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.ServerMetrics;
import io.github.obrol.server.SessionInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator's commands on the running server's standard input ({@code /notice}, {@code /tell}, {@code /kick},
 * {@code /who}, {@code /stats}, {@code /help}), carried out through the public {@link ChatServer} API.
 * Not API.
 */
final class AdminConsole {
  static final String HELP = String.join("\n",
      "/notice TEXT         send TEXT to every logged-in user (NOTICE / \"*** TEXT\")",
      "/tell NAME TEXT      send TEXT to the user NAME only (NOTICE / \"*** TEXT\")",
      "/kick NAME [REASON]  disconnect the user NAME (BYE KICKED)",
      "/who                 list the connections",
      "/stats               show the server's counters",
      "/help                this list");

  private static final long ANSWER_SECONDS = 10;

  private final ChatServer server;
  private final PrintStream out;

  AdminConsole(ChatServer server, PrintStream out) {
    this.server = server;
    this.out = out;
  }

  /** Reads commands until end of input or until the server terminates. */
  void run(BufferedReader in) throws IOException {
    String line;
    while (!server.onTerminated().isDone() && (line = in.readLine()) != null) {
      execute(line);
    }
  }

  /** Carries out one command line and prints its outcome. */
  void execute(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return;
    }
    String[] parts = trimmed.split("\\s+", 2);
    String rest = parts.length > 1 ? parts[1].strip() : "";
    try {
      switch (parts[0]) {
        case "/notice" -> notice(rest);
        case "/tell" -> tell(rest);
        case "/kick" -> kick(rest);
        case "/who" -> who();
        case "/stats" -> stats();
        case "/help" -> out.println(HELP);
        default -> out.println("unknown command: " + parts[0] + " (try /help)");
      }
    } catch (IllegalArgumentException e) {
      out.println(parts[0] + ": " + e.getMessage());
    } catch (Exception e) {
      out.println(parts[0] + " failed: " + e);
    }
    out.flush();
  }

  private void notice(String text) throws Exception {
    if (text.isEmpty()) {
      out.println("usage: /notice TEXT");
      return;
    }
    boolean delivered = server.broadcast(text).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    out.println(delivered ? "notice sent" : "notice vetoed by an interceptor");
  }

  private void tell(String args) throws Exception {
    String[] nameAndText = args.split("\\s+", 2);
    if (nameAndText.length < 2 || nameAndText[1].isBlank()) {
      out.println("usage: /tell NAME TEXT");
      return;
    }
    String name = nameAndText[0];
    boolean delivered = server.notice(name, nameAndText[1].strip()).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    out.println(delivered ? "notice sent to " + name
        : "notice not sent: no user named " + name + " is logged in, or an interceptor vetoed it");
  }

  private void kick(String args) throws Exception {
    if (args.isEmpty()) {
      out.println("usage: /kick NAME [REASON]");
      return;
    }
    String[] nameAndReason = args.split("\\s+", 2);
    String reason = nameAndReason.length > 1 ? nameAndReason[1] : "kicked by the operator";
    boolean found = server.disconnect(nameAndReason[0], reason).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    out.println(found ? "kicked " + nameAndReason[0] : "no user named " + nameAndReason[0] + " is logged in");
  }

  private void who() {
    List<SessionInfo> sessions = server.sessions();
    out.println(sessions.size() + " connection" + (sessions.size() == 1 ? "" : "s"));
    Instant now = Instant.now();
    for (SessionInfo s : sessions) {
      out.printf("%5d  %-32s  %-8s  %s  %s%n", s.id(), s.name().orElse("(not logged in)"),
          s.dialect().map(Enum::name).orElse("?"), s.describeAddress(),
          "for " + Duration.between(s.connectedAt(), now).toSeconds() + " s");
    }
  }

  private void stats() {
    ServerMetrics m = server.metrics();
    out.printf("connections %d, users %d, logins accepted %d, refused %d%n", m.connections(), m.users(),
        m.loginsAccepted(), m.loginsRejected());
    out.printf("frames in %d, out %d; bytes in %d, out %d; deliveries %d%n", m.framesIn(), m.framesOut(),
        m.bytesIn(), m.bytesOut(), m.deliveries());
    out.printf("slow consumers %d, invalid frames %d, rate limited %d%n", m.slowConsumerDisconnects(),
        m.decodeErrors(), m.rateLimited());
  }
}
