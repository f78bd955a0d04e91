package io.github.obrol.client.terminal;

import io.github.obrol.client.AuthenticationException;
import io.github.obrol.client.ChatClient;
import io.github.obrol.client.ClientTls;
import io.github.obrol.client.Credentials;
import io.github.obrol.client.ChatListener;
import io.github.obrol.client.ChatTimeoutException;
import io.github.obrol.client.Disconnection;
import io.github.obrol.client.InvalidNameException;
import io.github.obrol.client.NameTakenException;
import io.github.obrol.client.NoSuchUserException;
import io.github.obrol.client.NotConnectedException;
import io.github.obrol.client.ProtocolViolationException;
import io.github.obrol.client.QueueFullException;
import io.github.obrol.client.ReconnectPolicy;
import io.github.obrol.client.ServerErrorException;
import io.github.obrol.client.TlsException;
import io.github.obrol.client.UnreachableException;
import io.github.obrol.client.terminal.Console.Style;
import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.LeaveReason;
import io.github.obrol.protocol.Names;
import io.github.obrol.protocol.ProtocolDefaults;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code obrol-chat}: chat from a terminal with any Obrol-protocol server, or with the original {@code
 * chatserver.py} in the classic dialect. Interactive use gets line editing and history (JLine); with stdin
 * or stdout redirected it reads plain lines, prints chat to stdout and status to stderr, for scripts.
 */
@Command(
    name = "obrol-chat",
    mixinStandardHelpOptions = true,
    versionProvider = ObrolChat.Version.class,
    description = {
      "Chat with an Obrol-protocol server (or the original chatserver.py with --dialect classic).",
      "Type text to send it to everyone; sendall <text>, sendto <user> <text>, list, /to, /all, /list,"
          + " /quit and /help work too. End of input or Ctrl-C leaves."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:left normally", "1:could not connect, or the connection was lost for good", "2:invalid arguments"
    })
public final class ObrolChat implements Callable<Integer> {

  @Option(names = "--dialect", defaultValue = "modern", paramLabel = "classic|modern",
      description = "Wire dialect (default: ${DEFAULT-VALUE}). classic talks to classic-only servers such as"
          + " the original chatserver.py.")
  Dialect dialect;

  @Option(names = "--name", paramLabel = "NAME", description = "Name to log in with; asked for if absent.")
  String name;

  @Option(names = "--reconnect-attempts", defaultValue = "5", paramLabel = "N",
      description = "Reconnect attempts after the connection is lost (default: ${DEFAULT-VALUE}; 0: never).")
  int reconnectAttempts;

  @Option(names = "--plain", description = "Plain line input and output even on a terminal.")
  boolean plain;

  @Option(names = "--tls", description = "Connect with TLS (1.3 or 1.2), trusting the JVM's certificate authorities"
      + " unless --ca is given; the server's certificate must name HOST.")
  boolean tls;

  @Option(names = "--ca", paramLabel = "FILE", description = "Trust only the CA certificate(s) in this PEM file"
      + " (for example the one that signed a private server's certificate). Implies --tls.")
  java.nio.file.Path caFile;

  @Option(names = "--user", paramLabel = "ACCOUNT", description = "Authenticate as this account with a password"
      + " (AUTH PLAIN), asked for on the terminal without echo. Needs --tls. --name defaults to it.")
  String user;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Authenticate with the token (a JWT) in this"
      + " file (AUTH TOKEN), read again before every (re)connect so it can be renewed. Needs --tls.")
  java.nio.file.Path tokenFile;

  @Parameters(index = "0", paramLabel = "HOST", description = "Server host name or address.")
  String host;

  @Parameters(index = "1", paramLabel = "PORT", description = "Server TCP port (the original uses 9009).")
  int port;

  private final IntConsumer exit;
  PasswordReader passwordReader = ObrolChat::readPasswordFromConsole;
  private ClientTls clientTls;
  private Credentials credentials;
  private Console console;
  private volatile boolean leaving;
  private String quitReason = "";
  /** Lines typed while reconnecting, sent in order after the login; bounded. */
  private final ArrayDeque<Input> whileReconnecting = new ArrayDeque<>();
  static final int MAX_LINES_WHILE_RECONNECTING = 100;

  /** For {@link #main}: a connection lost for good ends the process. */
  ObrolChat(IntConsumer exit) {
    this.exit = exit;
  }

  /** Runs the terminal client and exits with its exit code. */
  public static void main(String[] args) {
    // Library logging goes to stderr; on a chat screen only warnings deserve space.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    CommandLine cli = new CommandLine(new ObrolChat(System::exit));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() {
    if (port < 1 || port > 65535) {
      System.err.println("port: " + port + " (expected: 1 to 65535)");
      return 2;
    }
    if (reconnectAttempts < 0) {
      System.err.println("--reconnect-attempts: " + reconnectAttempts + " (expected: >= 0)");
      return 2;
    }
    if (name != null && !Names.isValid(name)) {
      System.err.println("--name " + Names.problem(name).orElse(""));
      return 2;
    }
    Integer refused = prepareSecurity();
    if (refused != null) {
      return refused;
    }
    boolean interactive = !plain && System.console() != null;
    console = interactive ? new JLineConsole() : new PlainConsole(System.in, System.out, System.err);
    try {
      return chat(interactive);
    } finally {
      console.close();
    }
  }

  /** The TLS settings and credentials from the options, or an exit code after a message on stderr. */
  private Integer prepareSecurity() {
    if (user != null && tokenFile != null) {
      System.err.println("--user and --token-file: give one of them, not both");
      return 2;
    }
    if ((user != null || tokenFile != null) && dialect != Dialect.MODERN) {
      System.err.println((user != null ? "--user" : "--token-file") + ": the classic dialect cannot carry credentials"
          + " (PROTOCOL.md AUTH-12); use --dialect modern");
      return 2;
    }
    if ((user != null || tokenFile != null) && !tls && caFile == null) {
      System.err.println((user != null ? "--user" : "--token-file") + " needs --tls (or --ca FILE): the "
          + (user != null ? "password" : "token") + " would otherwise cross the network readable");
      return 2;
    }
    if (caFile != null) {
      try {
        clientTls = ClientTls.trusting(caFile);
      } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
        System.err.println("--ca: " + e.getMessage());
        return 2;
      }
    } else if (tls) {
      clientTls = ClientTls.systemDefault();
    }
    if (tokenFile != null) {
      java.nio.file.Path file = tokenFile;
      if (!java.nio.file.Files.isReadable(file)) {
        System.err.println("--token-file: cannot read " + file);
        return 2;
      }
      credentials = Credentials.token(() -> {
        try {
          return java.nio.file.Files.readString(file).strip();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("cannot read the token file " + file, e);
        }
      });
    }
    if (user != null) {
      char[] password = passwordReader.read("password for " + user + ": ");
      if (password == null) {
        System.err.println("--user: no terminal to read the password from without echo (stdin or stdout is"
            + " redirected, or there is no console); run obrol-chat in a terminal, or use --token-file FILE");
        return 2;
      }
      credentials = Credentials.password(user, password);
      java.util.Arrays.fill(password, '\0');
      if (name == null) {
        name = Names.isValid(user) ? user : null;
      }
    }
    return null;
  }

  /** Reads a password without echo; {@code null} when there is no console to read it from. */
  @FunctionalInterface
  interface PasswordReader {
    char[] read(String prompt);
  }

  private static char[] readPasswordFromConsole(String prompt) {
    java.io.Console terminal = System.console();
    return terminal == null ? null : terminal.readPassword("%s", prompt);
  }

  private int chat(boolean interactive) {
    ChatClient client = connect();
    if (client == null) {
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Ctrl-C outside line editing (plain mode): do not leave the server waiting.
      if (!leaving) {
        client.abort();
      }
    }, "obrol-chat-shutdown"));
    status(Style.STATUS, "-- connected to " + client.address() + " as " + client.username() + " ("
        + dialect.name().toLowerCase(Locale.ROOT) + " dialect" + (clientTls != null ? ", TLS" : "")
        + (credentials != null ? ", authenticated" : "") + ")" + (interactive ? "; /help lists the commands" : ""));
    String prompt = client.username() + "> ";
    while (true) {
      String line = console.readLine(prompt);
      if (line == null) {
        break;
      }
      Input input = Input.parse(line);
      if (input instanceof Input.Quit) {
        quitReason = ((Input.Quit) input).reason();
        break;
      }
      handle(client, input);
    }
    leaving = true;
    try {
      client.closeAsync(quitReason).get(client.requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      client.abort();
    }
    return 0;
  }

  /** Logs in, asking for a name again while the server refuses it and the name came from the user. */
  private ChatClient connect() {
    boolean ask = name == null;
    for (int tries = 0; tries < 20; tries++) {
      if (name == null) {
        name = console.readLine("name: ");
        if (name == null) {
          return null;
        }
        name = name.strip();
        String problem = Names.problem(name).orElse(null);
        if (problem != null) {
          status(Style.ERROR, "! " + problem);
          name = null;
          continue;
        }
      }
      ChatClient client = ChatClient.builder()
          .address(host, port)
          .username(name)
          .dialect(dialect)
          .reconnectPolicy(reconnectAttempts == 0 ? ReconnectPolicy.disabled()
              : ReconnectPolicy.exponentialBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), reconnectAttempts))
          .listener(new Printer())
          .tls(clientTls)
          .credentials(credentials)
          .build();
      CompletableFuture<Void> connecting = client.connect();
      if (dialect == Dialect.MODERN) {
        // A classic-only server answers the modern greeting with nothing: say so early, not after the timeout.
        CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> {
          if (!connecting.isDone()) {
            status(Style.STATUS, "-- no answer to the modern greeting yet; " + CLASSIC_HINT);
          }
        });
      }
      try {
        connecting.get();
        return client;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (ask && (cause instanceof NameTakenException || cause instanceof InvalidNameException)) {
          status(Style.ERROR, "! " + (cause instanceof NameTakenException ? "the name " + name + " is taken"
              : "the server refuses the name " + name) + "; try another");
          name = null;
          continue;
        }
        boolean maybeClassic = dialect == Dialect.MODERN
            && (cause instanceof ChatTimeoutException || cause instanceof ProtocolViolationException);
        status(Style.ERROR, "! cannot connect to " + client.address() + ": " + describe(cause)
            + (maybeClassic ? "; " + CLASSIC_HINT : ""));
        return null;
      }
    }
    status(Style.ERROR, "! giving up after 20 names");
    return null;
  }

  static final String CLASSIC_HINT =
      "if the server speaks only the classic dialect (such as the original chatserver.py), use --dialect classic";

  private void handle(ChatClient client, Input input) {
    if ((input instanceof Input.SendAll || input instanceof Input.SendTo) && client.state() == ChatClient.State.RECONNECTING) {
      synchronized (whileReconnecting) {
        if (whileReconnecting.size() >= MAX_LINES_WHILE_RECONNECTING) {
          status(Style.ERROR, "! not sent: reconnecting, and " + MAX_LINES_WHILE_RECONNECTING
              + " lines already wait; type it again once reconnected");
        } else {
          whileReconnecting.add(input);
          status(Style.STATUS, "-- reconnecting; will send after the login (" + whileReconnecting.size() + " waiting)");
        }
      }
      return;
    }
    try {
      if (input instanceof Input.SendAll) {
        report(client.sendAll(((Input.SendAll) input).text()), "message not sent");
      } else if (input instanceof Input.SendTo) {
        Input.SendTo to = (Input.SendTo) input;
        client.sendTo(to.user(), to.text()).whenComplete((ok, failure) -> {
          if (failure != null) {
            status(Style.ERROR, "! private message to " + to.user() + " not sent: " + describe(failure));
          } else {
            chatLine(Style.PRIVATE, formatOwnPrivate(to.user(), to.text()));
          }
        });
      } else if (input instanceof Input.ListUsers) {
        client.listUsers().whenComplete((users, failure) -> {
          if (failure != null) {
            status(Style.ERROR, "! list failed: " + describe(failure));
          } else {
            chatLine(Style.STATUS, formatList(users));
          }
        });
      } else if (input instanceof Input.Help) {
        for (String line : Input.help().split("\n")) {
          status(Style.STATUS, line);
        }
      } else if (input instanceof Input.Invalid) {
        status(Style.ERROR, "! " + ((Input.Invalid) input).message());
      }
    } catch (IllegalArgumentException e) {
      status(Style.ERROR, "! " + e.getMessage());
    }
  }

  private void report(CompletableFuture<Void> sent, String what) {
    sent.whenComplete((ok, failure) -> {
      if (failure != null) {
        status(Style.ERROR, "! " + what + ": " + describe(failure));
      }
    });
  }

  static String formatList(List<String> users) {
    return "online (" + users.size() + "): " + String.join(", ", users);
  }

  /** How your own private message is echoed (the server does not send it back unless you wrote to yourself). */
  static String formatOwnPrivate(String recipient, String text) {
    return "[you -> " + recipient + "] " + text;
  }

  static String formatMessage(String sender, String text, Audience audience) {
    return audience == Audience.PRIVATE ? "[" + sender + " -> you] " + text : "[" + sender + "] " + text;
  }

  static String formatLeft(String user, LeaveReason reason, String detail) {
    if (reason == LeaveReason.UNKNOWN) {
      return "<-- " + user + " left";
    }
    return "<-- " + user + " left (" + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + (detail.isEmpty() ? "" : ": " + detail) + ")";
  }

  static String describe(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof NoSuchUserException) {
      return "no such user";
    } else if (t instanceof AuthenticationException) {
      return describeAuthentication((AuthenticationException) t);
    } else if (t instanceof TlsException) {
      TlsException e = (TlsException) t;
      return e.getMessage() + (e.reason() == TlsException.Reason.UNTRUSTED_CERTIFICATE
          ? " (with --ca FILE, give the certificate of the CA that signed the server's certificate)" : "");
    } else if (t instanceof NameTakenException) {
      return ((NameTakenException) t).duringReconnect() ? t.getMessage() : "the name is taken";
    } else if (t instanceof ServerErrorException) {
      ServerErrorException s = (ServerErrorException) t;
      return describe(s.code(), s.serverText());
    } else if (t instanceof QueueFullException) {
      return "too much is waiting to be sent; try again shortly";
    } else if (t instanceof NotConnectedException) {
      return "not connected right now";
    } else if (t instanceof ChatTimeoutException) {
      return "no answer in time";
    } else if (t instanceof UnreachableException && t.getCause() instanceof UnknownHostException) {
      return "unknown host " + t.getCause().getMessage();
    } else if (t instanceof UnreachableException && t.getCause() != null) {
      return t.getCause().getMessage() != null ? t.getCause().getMessage() : t.getCause().toString();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  static String describeAuthentication(AuthenticationException e) {
    String server = e.serverText().isEmpty() ? "" : " (server: " + e.serverText() + ")";
    switch (e.code()) {
      case AUTH_FAILED:
        return "authentication failed: wrong account or password, or a bad or expired token" + server;
      case AUTH_REQUIRED:
        return "the server requires authentication: use --user ACCOUNT (password) or --token-file FILE" + server;
      case AUTH_UNSUPPORTED:
        return "the server does not accept this kind of credentials: " + e.serverText();
      case AUTH_THROTTLED:
        return "too many failed logins; wait before trying again" + server;
      case TLS_REQUIRED:
        return "the server requires TLS: add --tls (and --ca FILE for a private CA)" + server;
      case NAME_NOT_ALLOWED:
        return "this account may not use that name: choose it with --name" + server;
      default:
        return describe(e.code(), e.serverText());
    }
  }

  static String describe(ErrorCode code, String text) {
    if (text.isEmpty() || text.equals(code.classicText())) {
      return code.classicText();
    }
    // "the server is shutting down" already says "server shutting down": print it once.
    String plain = text.toLowerCase(Locale.ROOT).replace(" is ", " ").replace("the ", "");
    return plain.contains(code.classicText()) ? text : code.classicText() + " (" + text + ")";
  }

  // Every line reaches the console escaped: texts, names and error details come from the server, which
  // may relay control and bidi characters (CLIENT-3).
  private void chatLine(Style style, String line) {
    console.printChat(style, TerminalText.escape(line));
  }

  private void status(Style style, String line) {
    console.printStatus(style, TerminalText.escape(line));
  }

  /** Prints what the server tells us; marks private messages, joins and leaves distinctly. */
  private final class Printer implements ChatListener {
    private boolean connectedOnce;

    @Override
    public void onConnected(ChatClient client) {
      if (connectedOnce) {
        status(Style.STATUS, "-- reconnected as " + client.username());
        List<Input> waiting;
        synchronized (whileReconnecting) {
          waiting = List.copyOf(whileReconnecting);
          whileReconnecting.clear();
        }
        for (Input input : waiting) {
          handle(client, input);
        }
      }
      connectedOnce = true;
    }

    @Override
    public void onMessage(ChatClient client, String sender, String text, Audience audience) {
      chatLine(audience == Audience.PRIVATE ? Style.PRIVATE : Style.PLAIN, formatMessage(sender, text, audience));
    }

    @Override
    public void onJoin(ChatClient client, String user) {
      chatLine(Style.JOIN_LEAVE, "--> " + user + " joined");
    }

    @Override
    public void onLeave(ChatClient client, String user, LeaveReason reason, String detail) {
      chatLine(Style.JOIN_LEAVE, formatLeft(user, reason, detail));
    }

    @Override
    public void onNotice(ChatClient client, String text) {
      chatLine(Style.NOTICE, "*** " + text);
    }

    @Override
    public void onServerError(ChatClient client, ErrorCode code, String text) {
      status(Style.ERROR, "! " + describe(code, text));
    }

    @Override
    public void onServerText(ChatClient client, String text) {
      // A frame the client does not understand: the server's own words, neither dropped nor interpreted.
      chatLine(Style.NOTICE, "[server] " + text);
    }

    @Override
    public void onDisconnected(ChatClient client, Disconnection d) {
      status(Style.ERROR, "! disconnected: " + describe(d.cause()) + (d.willReconnect()
          ? "; reconnecting in " + d.reconnectDelay().toMillis() + " ms (attempt " + d.nextAttempt() + ")" : ""));
    }

    @Override
    public void onClosed(ChatClient client, Throwable cause) {
      int dropped;
      synchronized (whileReconnecting) {
        dropped = whileReconnecting.size();
        whileReconnecting.clear();
      }
      if (dropped > 0) {
        status(Style.ERROR, "! " + dropped + " line" + (dropped == 1 ? "" : "s") + " typed while reconnecting not sent");
      }
      if (cause != null && connectedOnce && !leaving) {
        status(Style.ERROR, "! connection lost for good: " + describe(cause));
        leaving = true;
        console.close();
        exit.accept(1);
      }
    }
  }

  /** {@code --version}: the artifact version the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"obrol-chat " + artifactVersion() + " (" + ProtocolDefaults.VERSION + ")"};
    }
  }

  /** This tool's artifact version, e.g. {@code 0.1.0-SNAPSHOT}; {@code "unknown"} if the resource is missing. */
  static String artifactVersion() {
    java.util.Properties properties = new java.util.Properties();
    try (java.io.InputStream in = ObrolChat.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (java.io.IOException e) {
      // Only --version reads it; "unknown" says what happened.
    }
    return properties.getProperty("version", "unknown");
  }
}
