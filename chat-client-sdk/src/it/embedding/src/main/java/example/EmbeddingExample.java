package example;

import io.github.obrol.client.ChatClient;
import io.github.obrol.client.ChatListener;
import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.Interception;
import io.github.obrol.server.ServerObserver;
import io.github.obrol.server.SessionInfo;

/** The embedding example of the root README, verbatim between the two markers. */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  /** Starts a server on a free port, logs a bot in, says hello, lists who is online, and stops. */
  public static void run() {
    // README:BEGIN
    ChatServer server = ChatServer.builder()
        .port(0)                                                // any free port
        .addInterceptor(message -> message.text().contains("spam")
            ? Interception.veto(ErrorCode.REJECTED, "no spam, please")
            : Interception.pass())
        .addObserver(new ServerObserver() {
          @Override
          public void onJoin(SessionInfo session) {
            System.out.println(session.name().orElseThrow() + " joined");
          }
        })
        .build();
    try (server) {
      int port = server.start().join().getPort();
      try (ChatClient bot = ChatClient.builder()
          .address("localhost", port)
          .username("bot")
          .listener(new ChatListener() {
            @Override
            public void onMessage(ChatClient client, String sender, String text, Audience audience) {
              System.out.println(sender + ": " + text);
            }
          })
          .build()) {
        bot.connect().join();                                   // logged in, or a typed ChatException
        bot.sendAll("hello, everyone").join();                  // the server said OK
        System.out.println("online: " + bot.listUsers().join()); // online: [bot]
      }                                                         // the bot says QUIT and closes
    }                                                           // the server says BYE SHUTTING_DOWN and stops
    // README:END
  }

  public static void main(String[] args) {
    run();
  }
}
