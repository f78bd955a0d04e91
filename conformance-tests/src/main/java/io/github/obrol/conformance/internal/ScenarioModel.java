package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference model of a stateful scenario: who is connected, who is logged in (in order of login),
 * who departed, and what every client must receive for each step, as normalised lines: replies
 * ({@code OK LOGIN n}, {@code ERR NAME_TAKEN}, {@code OK LIST a b}, classic {@code LIST a b}) and events
 * ({@code JOIN n}, {@code MSG n text}, {@code PRIV n text}, {@code LEFT n QUIT}, classic {@code LEFT n}).
 * It reads each frame by the rules of PROTOCOL.md written out here, never with the protocol module's
 * decoders, so a codec bug in Obrol is not predicted by the model too.
 *
 * <p>Each client speaks a dialect: the scenario's own, or the one its connect step names (a mixed
 * scenario, GEN-DIALECT-2). What a client receives is predicted in the receiver's dialect: a private
 * message is {@code PRIV} for a modern receiver and {@code MSG} for a classic one, a leave carries its
 * reason only for modern receivers, whatever the sender speaks.
 */
public final class ScenarioModel {
  /** A client as the model sees it. */
  public static final class Client {
    final String label;
    final Dialect dialect;
    boolean connected;
    String name;

    Client(String label, Dialect dialect) {
      this.label = label;
      this.dialect = dialect;
    }

    public String label() {
      return label;
    }

    /** The dialect it speaks. */
    public Dialect dialect() {
      return dialect;
    }

    boolean modern() {
      return dialect == Dialect.MODERN;
    }

    public boolean connected() {
      return connected;
    }

    /** The name it logged in with, or null while anonymous. */
    public String name() {
      return name;
    }
  }

  private final Dialect dialect;
  private final int maxLineLength;
  private final Map<String, Client> clients = new LinkedHashMap<>();
  private final List<Client> users = new ArrayList<>();
  private final List<String> departed = new ArrayList<>();
  private final Map<String, List<String>> expected = new LinkedHashMap<>();

  public ScenarioModel(Dialect dialect, int maxLineLength) {
    this.dialect = dialect;
    this.maxLineLength = maxLineLength;
  }

  public Dialect dialect() {
    return dialect;
  }

  public List<Client> clients() {
    return new ArrayList<>(clients.values());
  }

  public Client client(String label) {
    return clients.get(label);
  }

  /** Logged-in users, oldest login first. */
  public List<String> users() {
    List<String> names = new ArrayList<>();
    users.forEach(u -> names.add(u.name));
    return names;
  }

  /** Names of users who departed and have not logged in again. */
  public List<String> departed() {
    return new ArrayList<>(departed);
  }

  /** Takes what each client must receive for the step just modelled. */
  public Map<String, List<String>> takeExpected() {
    Map<String, List<String>> out = new LinkedHashMap<>(expected);
    expected.clear();
    return out;
  }

  private void expect(Client c, String line) {
    expected.computeIfAbsent(c.label, k -> new ArrayList<>()).add(line);
  }

  /** Models {@code step}; {@code text} has {@code $p} already replaced. Returns whether it did anything. */
  public boolean apply(ScenarioStep step, String text) {
    Client c = clients.get(step.label());
    switch (step.kind()) {
      case CONNECT:
        if (c != null && c.connected) {
          return false;
        }
        c = new Client(step.label(), step.dialect() == null ? dialect : step.dialect());
        c.connected = true;
        clients.put(step.label(), c);
        return true;
      case CLOSE:
      case ABORT:
        if (c == null || !c.connected) {
          return false;
        }
        depart(c, " DISCONNECTED");
        return true;
      default:
        if (c == null || !c.connected) {
          return false;
        }
        for (String line : frames(text)) {
          if (!c.connected) {
            break;
          }
          frame(c, line);
        }
        return true;
    }
  }

  /** The frames of a step's bytes: split at LF, a CR before the LF removed. */
  static List<String> frames(String text) {
    List<String> frames = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        String f = text.substring(start, i);
        frames.add(f.endsWith("\r") ? f.substring(0, f.length() - 1) : f);
        start = i + 1;
      }
    }
    return frames;
  }

  private void frame(Client c, String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > maxLineLength) {
      expect(c, "ERR LINE_TOO_LONG"); // GEN-LINE-2
      return;
    }
    for (char ch : line.toCharArray()) {
      boolean classicSpace = !c.modern() && (ch == '\t' || ch == 0x0b || ch == 0x0c);
      if ((ch < 0x20 || ch == 0x7f) && !classicSpace) {
        expect(c, "ERR INVALID_ENCODING"); // GEN-TEXT-2
        return;
      }
    }
    if (c.modern()) {
      modernFrame(c, line);
    } else {
      classicFrame(c, line);
    }
  }

  /** Section 6.2, read from PROTOCOL.md: the verb, then everything after its space. */
  private void modernFrame(Client c, String line) {
    int sp = line.indexOf(' ');
    String verb = sp < 0 ? line : line.substring(0, sp);
    String arg = sp < 0 ? null : line.substring(sp + 1);
    switch (verb) {
      case "HELLO":
        command(c, new Cmd("HELLO", "", ""));
        return;
      case "LOGIN":
        if (arg == null) {
          expect(c, "ERR INVALID_COMMAND");
        } else if (!WireTables.validName(arg)) {
          expect(c, "ERR INVALID_NAME"); // MD-LOGIN-2: everything after "LOGIN " is the name
        } else {
          command(c, new Cmd("LOGIN", arg, ""));
        }
        return;
      case "LIST":
        if (arg != null) {
          expect(c, "ERR INVALID_COMMAND");
        } else {
          command(c, new Cmd("LIST", "", ""));
        }
        return;
      case "SEND":
        if (arg == null || arg.isBlank()) {
          expect(c, "ERR INVALID_COMMAND"); // GEN-TEXT-3
        } else {
          command(c, new Cmd("SEND", arg, ""));
        }
        return;
      case "SENDTO": {
        int sp2 = arg == null ? -1 : arg.indexOf(' ');
        if (sp2 <= 0 || arg.substring(sp2 + 1).isBlank()) {
          expect(c, "ERR INVALID_COMMAND");
        } else {
          command(c, new Cmd("SENDTO", arg.substring(0, sp2), arg.substring(sp2 + 1)));
        }
        return;
      }
      case "PING":
        if (arg != null && (arg.isEmpty() || arg.contains(" "))) {
          expect(c, "ERR INVALID_COMMAND");
        } else {
          command(c, new Cmd("PING", arg == null ? "" : arg, ""));
        }
        return;
      case "QUIT":
        command(c, new Cmd("QUIT", arg == null ? "" : arg, ""));
        return;
      default:
        expect(c, "ERR INVALID_COMMAND"); // MD-INVALID-1
    }
  }

  /** Section 5.2, read from PROTOCOL.md: tokens split at space, TAB, VT and FF. */
  private void classicFrame(Client c, String line) {
    List<String> tokens = new ArrayList<>();
    for (String t : line.split("[ \t\u000b\u000c]+")) {
      if (!t.isEmpty()) {
        tokens.add(t);
      }
    }
    boolean says = tokens.size() >= 3 && tokens.get(1).equals("says");
    if (says && tokens.get(2).equals(tokens.get(0))) { // CL-LOGIN-1
      if (!WireTables.validName(tokens.get(0))) {
        expect(c, "ERR INVALID_NAME"); // CL-LOGIN-3
        return;
      }
      command(c, new Cmd("LOGIN", tokens.get(0), ""));
      return;
    }
    if (c.name == null) {
      expect(c, "ERR NOT_LOGGED_IN"); // CL-AUTH-2
      return;
    }
    if (!says) {
      expect(c, "ERR INVALID_COMMAND"); // CL-CMD-1
      return;
    }
    if (!tokens.get(0).equals(c.name)) {
      expect(c, "ERR NAME_MISMATCH"); // CL-AUTH-1
      return;
    }
    List<String> body = tokens.subList(2, tokens.size());
    switch (body.get(0)) {
      case "list":
        command(c, new Cmd("LIST", "", ""));
        return;
      case "sendall":
        if (body.size() < 2) {
          expect(c, "ERR INVALID_COMMAND"); // CL-SENDTO-3
        } else {
          command(c, new Cmd("SEND", String.join(" ", body.subList(1, body.size())), ""));
        }
        return;
      case "sendto":
        if (body.size() < 3) {
          expect(c, "ERR INVALID_COMMAND"); // CL-SENDTO-3
        } else {
          command(c, new Cmd("SENDTO", body.get(1), String.join(" ", body.subList(2, body.size()))));
        }
        return;
      case "quit":
        command(c, new Cmd("QUIT", String.join(" ", body.subList(1, body.size())), ""));
        return;
      default:
        expect(c, "ERR INVALID_COMMAND"); // CL-INVALID-1
    }
  }

  /** A command as the model reads it: its verb and up to two arguments. */
  private record Cmd(String verb, String a, String b) {}

  private void command(Client c, Cmd command) {
    boolean modern = c.modern();
    if (command.verb().equals("PING")) {
      String token = command.a();
      expect(c, token.isEmpty() ? "OK PING" : "OK PING " + token);
    } else if (command.verb().equals("HELLO")) {
      expect(c, "ERR INVALID_COMMAND");
    } else if (command.verb().equals("QUIT")) {
      if (modern) {
        expect(c, "OK QUIT");
      }
      String reason = command.a();
      depart(c, " QUIT" + (reason.isEmpty() ? "" : " " + reason));
    } else if (command.verb().equals("LOGIN")) {
      String name = command.a();
      if (c.name != null) {
        expect(c, "ERR ALREADY_LOGGED_IN");
      } else if (find(name) != null) {
        expect(c, "ERR NAME_TAKEN");
      } else {
        if (modern) {
          expect(c, "OK LOGIN " + name);
        }
        for (Client u : users) {
          expect(u, "JOIN " + name);
        }
        c.name = name;
        users.add(c);
        departed.removeIf(d -> WireTables.key(d).equals(WireTables.key(name)));
      }
    } else if (c.name == null) {
      expect(c, "ERR NOT_LOGGED_IN");
    } else if (command.verb().equals("LIST")) {
      expect(c, (modern ? "OK LIST " : "LIST ") + String.join(" ", users()));
    } else if (command.verb().equals("SEND")) {
      String text = command.a();
      if (modern) {
        expect(c, "OK SEND");
      }
      for (Client u : users) {
        if (u != c) {
          expect(u, "MSG " + c.name + " " + text);
        }
      }
    } else if (command.verb().equals("SENDTO")) {
      Client to = find(command.a());
      if (to == null) {
        expect(c, "ERR NO_SUCH_USER");
      } else {
        if (modern) {
          expect(c, "OK SENDTO " + to.name);
        }
        expect(to, (to.modern() ? "PRIV " : "MSG ") + c.name + " " + command.b());
      }
    }
  }

  private Client find(String name) {
    for (Client u : users) {
      if (WireTables.key(u.name).equals(WireTables.key(name))) {
        return u;
      }
    }
    return null;
  }

  /** {@code reason}: the leave's reason (and text) as modern receivers see it; classic ones see none. */
  private void depart(Client c, String reason) {
    c.connected = false;
    if (c.name != null && users.remove(c)) {
      for (Client u : users) {
        expect(u, "LEFT " + c.name + (u.modern() ? reason : ""));
      }
      departed.add(c.name);
    }
    c.name = null;
  }
}
