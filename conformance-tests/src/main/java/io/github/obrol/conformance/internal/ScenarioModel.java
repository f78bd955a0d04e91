package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.ClassicCommand;
import io.github.obrol.protocol.ClassicCommandDecoder;
import io.github.obrol.protocol.ClientCommand;
import io.github.obrol.protocol.DecodeResult;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ModernCommandDecoder;
import io.github.obrol.protocol.Names;
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
 * It predicts by decoding each frame with the protocol's own decoders, as a server would.
 */
public final class ScenarioModel {
  /** A client as the model sees it. */
  public static final class Client {
    final String label;
    boolean connected;
    String name;

    Client(String label) {
      this.label = label;
    }

    public String label() {
      return label;
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
        c = new Client(step.label());
        c.connected = true;
        clients.put(step.label(), c);
        return true;
      case CLOSE:
      case ABORT:
        if (c == null || !c.connected) {
          return false;
        }
        depart(c, dialect == Dialect.MODERN ? " DISCONNECTED" : "");
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
      expect(c, "ERR LINE_TOO_LONG");
      return;
    }
    if (dialect == Dialect.MODERN) {
      DecodeResult<ClientCommand> r = ModernCommandDecoder.decode(bytes);
      if (r instanceof DecodeResult.Failure) {
        expect(c, "ERR " + ((DecodeResult.Failure<ClientCommand>) r).code());
        return;
      }
      command(c, r.value());
      return;
    }
    DecodeResult<ClassicCommand> r = ClassicCommandDecoder.decode(bytes);
    if (r instanceof DecodeResult.Failure) {
      DecodeResult.Failure<ClassicCommand> f = (DecodeResult.Failure<ClassicCommand>) r;
      expect(c, "ERR " + (c.name == null && f.code() == io.github.obrol.protocol.ErrorCode.INVALID_COMMAND
          ? "NOT_LOGGED_IN" : f.code().name()));
      return;
    }
    ClassicCommand cc = r.value();
    if (!(cc.command() instanceof ClientCommand.Login)) {
      if (c.name == null) {
        expect(c, "ERR NOT_LOGGED_IN");
        return;
      }
      if (!cc.claimedName().equals(c.name)) {
        expect(c, "ERR NAME_MISMATCH");
        return;
      }
    }
    command(c, cc.command());
  }

  private void command(Client c, ClientCommand command) {
    boolean modern = dialect == Dialect.MODERN;
    if (command instanceof ClientCommand.Ping) {
      String token = ((ClientCommand.Ping) command).token();
      expect(c, token.isEmpty() ? "OK PING" : "OK PING " + token);
    } else if (command instanceof ClientCommand.Hello) {
      expect(c, "ERR INVALID_COMMAND");
    } else if (command instanceof ClientCommand.Quit) {
      if (modern) {
        expect(c, "OK QUIT");
      }
      String reason = ((ClientCommand.Quit) command).reason();
      depart(c, modern ? " QUIT" + (reason.isEmpty() ? "" : " " + reason) : "");
    } else if (command instanceof ClientCommand.Login) {
      String name = ((ClientCommand.Login) command).name();
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
        departed.removeIf(d -> Names.key(d).equals(Names.key(name)));
      }
    } else if (c.name == null) {
      expect(c, "ERR NOT_LOGGED_IN");
    } else if (command instanceof ClientCommand.ListUsers) {
      expect(c, (modern ? "OK LIST " : "LIST ") + String.join(" ", users()));
    } else if (command instanceof ClientCommand.SendAll) {
      String text = ((ClientCommand.SendAll) command).text();
      if (modern) {
        expect(c, "OK SEND");
      }
      for (Client u : users) {
        if (u != c) {
          expect(u, "MSG " + c.name + " " + text);
        }
      }
    } else if (command instanceof ClientCommand.SendTo) {
      ClientCommand.SendTo s = (ClientCommand.SendTo) command;
      Client to = find(s.recipient());
      if (to == null) {
        expect(c, "ERR NO_SUCH_USER");
      } else {
        if (modern) {
          expect(c, "OK SENDTO " + to.name);
        }
        expect(to, (modern ? "PRIV " : "MSG ") + c.name + " " + s.text());
      }
    }
  }

  private Client find(String name) {
    for (Client u : users) {
      if (Names.key(u.name).equals(Names.key(name))) {
        return u;
      }
    }
    return null;
  }

  private void depart(Client c, String suffix) {
    c.connected = false;
    if (c.name != null && users.remove(c)) {
      for (Client u : users) {
        expect(u, "LEFT " + c.name + suffix);
      }
      departed.add(c.name);
    }
    c.name = null;
  }
}
