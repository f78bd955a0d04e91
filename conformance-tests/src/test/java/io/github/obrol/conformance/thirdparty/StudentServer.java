package io.github.obrol.conformance.thirdparty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A classic chat server as a student would write it from PROTOCOL.md section 5 alone, in plain Java
 * strings (no Obrol code, not derived from the suite's MutantServer): LF framing with a 100 ms quiet
 * period, the name rules, the commands and the error texts of section 5.4. It does not split the original
 * client's merged login (CL-FRAME-3). Each {@link Variation} adds one thing seen in other students' servers.
 */
final class StudentServer implements AutoCloseable {

  /** One realistic variation, as seen in implementations of the same assignment. */
  enum Variation {
    /** None: the careful student. */
    NONE,
    /** The join notice has a space before its LF: {@code "\r<n> sudah terhubung dengan system \n"}. */
    TRAILING_SPACE_JOIN,
    /** Every disconnect, anonymous ones too, sends {@code "\rClient off\n"} to every other connection. */
    CLIENT_OFF_TO_ALL,
    /** The list command is {@code who}; {@code list} is an invalid command. */
    WHO_LIST,
    /** The list command is {@code who}, and a private message to oneself is refused as an invalid command. */
    WHO_LIST_NO_SELF,
    /** Indonesian error texts: {@code "\rnama sudah dipake\n"} and {@code "\rPlease login\n"}. */
    INDONESIAN_ERRORS,
    /** Any departure is announced with the name of the most recently logged-in user. */
    LATEST_USER_OFF,
    /** Every departure is announced twice, the second time 1.9 s later. */
    LATE_SECOND_LEAVE,
    /**
     * The first "username sudah dipake" is written in one write with a {@code "\rClient off\n"} notice, later ones
     * alone: what a suite that reads late on a busy machine sees when a notice follows the refusal at once.
     */
    REFUSAL_MERGED_ONCE,
    /** Every "username sudah dipake" is written in one write with a {@code "\rClient off\n"} notice after it. */
    REFUSAL_ALWAYS_MERGED
  }

  private boolean refusedOnce;

  private static final int MAX_LINE = 4096;
  private static final List<String> RESERVED = List.of("says", "list", "sendall", "sendto", "login", "quit",
      "hello", "send", "ping", "ok", "err", "msg", "priv", "join", "left", "notice", "bye");

  private final Variation variation;
  private final ServerSocket listener;
  private final List<Conn> conns = new CopyOnWriteArrayList<>();
  private final List<Conn> users = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "student-timer");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  StudentServer(Variation variation) throws IOException {
    this.variation = variation;
    this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "student-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    conns.forEach(Conn::kill);
  }

  private void accept() {
    while (!closed) {
      try {
        Conn c = new Conn(listener.accept());
        conns.add(c);
        Thread t = new Thread(c::run, "student-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private synchronized void frame(Conn c, byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      c.write("\rinvalid encoding\n");
      return;
    }
    for (char ch : text.toCharArray()) {
      if ((ch < 0x20 && ch != '\t' && ch != 0x0b && ch != 0x0c) || ch == 0x7f) {
        c.write("\rinvalid encoding\n");
        return;
      }
    }
    List<String> t = new ArrayList<>();
    for (String s : text.split("[ \t\u000b\u000c]+")) {
      if (!s.isEmpty()) {
        t.add(s);
      }
    }
    boolean says = t.size() >= 3 && t.get(1).equals("says");
    if (says && t.get(2).equals(t.get(0))) {
      login(c, t.get(0));
      return;
    }
    if (c.name == null) {
      c.write(variation == Variation.INDONESIAN_ERRORS ? "\rPlease login\n" : "\rnot logged in\n");
      return;
    }
    if (!says) {
      c.write("\rinvalid command\n");
      return;
    }
    if (!t.get(0).equals(c.name)) {
      c.write("\rname mismatch\n");
      return;
    }
    String cmd = t.get(2);
    String listCommand = variation == Variation.WHO_LIST || variation == Variation.WHO_LIST_NO_SELF ? "who" : "list";
    if (cmd.equals(listCommand)) {
      StringBuilder b = new StringBuilder("\rlist yang online\n");
      users.forEach(u -> b.append(u.name).append(" is online \n"));
      c.write(b.toString());
    } else if (cmd.equals("sendall") && t.size() > 3) {
      String msg = "\r" + c.name + " says " + String.join(" ", t.subList(3, t.size())) + " \n";
      users.stream().filter(u -> u != c).forEach(u -> u.write(msg));
    } else if (cmd.equals("sendto") && t.size() > 4) {
      Conn to = users.stream().filter(u -> key(u.name).equals(key(t.get(3)))).findFirst().orElse(null);
      if (to == null) {
        c.write("\rno such user\n");
      } else if (to == c && variation == Variation.WHO_LIST_NO_SELF) {
        c.write("\rinvalid command\n");
      } else {
        to.write("\r" + c.name + " says " + String.join(" ", t.subList(4, t.size())) + " \n");
      }
    } else {
      c.write("\rinvalid command\n");
    }
  }

  private void login(Conn c, String name) {
    if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}") || RESERVED.contains(key(name))) {
      c.write("\rinvalid name\n");
    } else if (c.name != null) {
      c.write("\ralready logged in\n");
    } else if (users.stream().anyMatch(u -> key(u.name).equals(key(name)))) {
      String refusal = variation == Variation.INDONESIAN_ERRORS ? "\rnama sudah dipake\n" : "\rusername sudah dipake\n";
      boolean merged = variation == Variation.REFUSAL_ALWAYS_MERGED
          || (variation == Variation.REFUSAL_MERGED_ONCE && !refusedOnce);
      refusedOnce = true;
      c.write(merged ? refusal + "\rClient off\n" : refusal);
    } else {
      String join = "\r" + name + " sudah terhubung dengan system" + (variation == Variation.TRAILING_SPACE_JOIN ? " " : "")
          + "\n";
      users.forEach(u -> u.write(join));
      c.name = name;
      users.add(c);
    }
  }

  private synchronized void departed(Conn c) {
    conns.remove(c);
    if (variation == Variation.CLIENT_OFF_TO_ALL) {
      users.remove(c);
      conns.forEach(o -> o.write("\rClient off\n"));
      return;
    }
    if (c.name == null || !users.contains(c)) {
      return;
    }
    String shown = variation == Variation.LATEST_USER_OFF ? users.get(users.size() - 1).name : c.name;
    users.remove(c);
    String off = "\r(" + shown + ") off\n";
    List<Conn> told = new ArrayList<>(users);
    told.forEach(u -> u.write(off));
    if (variation == Variation.LATE_SECOND_LEAVE && !closed) {
      timer.schedule(() -> told.forEach(u -> u.write(off)), 1900, TimeUnit.MILLISECONDS);
    }
  }

  /** One connection: a thread that reads frames (LF, or the quiet period, or the end of input). */
  private final class Conn {
    private final Socket socket;
    private String name;

    Conn(Socket socket) {
      this.socket = socket;
    }

    synchronized void write(String s) {
      try {
        OutputStream out = socket.getOutputStream();
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        kill();
      }
    }

    void kill() {
      try {
        socket.close();
      } catch (IOException e) {
        // gone
      }
    }

    void run() {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      boolean discarding = false;
      byte[] buf = new byte[8192];
      try {
        InputStream in = socket.getInputStream();
        while (true) {
          socket.setSoTimeout(line.size() > 0 || discarding ? 100 : 0);
          int n;
          try {
            n = in.read(buf);
          } catch (SocketTimeoutException e) {
            if (!discarding && line.size() > 0) {
              frame(this, line.toByteArray());
            }
            line.reset();
            discarding = false;
            continue;
          }
          if (n < 0) {
            if (!discarding && line.size() > 0) {
              frame(this, line.toByteArray());
            }
            break;
          }
          for (int i = 0; i < n; i++) {
            byte b = buf[i];
            if (b == '\n') {
              byte[] f = line.toByteArray();
              int len = f.length > 0 && f[f.length - 1] == '\r' ? f.length - 1 : f.length;
              if (!discarding && len > MAX_LINE) {
                write("\rline too long\n");
              } else if (!discarding) {
                frame(this, java.util.Arrays.copyOf(f, len));
              }
              line.reset();
              discarding = false;
            } else if (!discarding) {
              line.write(b);
              // One byte more than the limit may be the CR of a CR LF (FR-LINE-2).
              if (line.size() > MAX_LINE + 1 || (line.size() == MAX_LINE + 1 && b != '\r')) {
                write("\rline too long\n");
                discarding = true;
                line.reset();
              }
            }
          }
        }
      } catch (IOException e) {
        // reset: departs below
      }
      kill();
      departed(this);
    }
  }
}
