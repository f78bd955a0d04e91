package io.github.obrol.client;

import io.github.obrol.protocol.Audience;

/** The example of chat-client-sdk/README.md, kept here so that it compiles and runs in the build. */
final class ReadmeExample {
  private ReadmeExample() {}

  static void chat(String host, int port) {
    // ---- README example begins (keep in sync with README.md) ----
    ChatClient client = ChatClient.builder()
        .address(host, port)
        .username("alice")
        .listener(new ChatListener() {
          @Override
          public void onMessage(ChatClient c, String sender, String text, Audience audience) {
            System.out.println(sender + (audience == Audience.PRIVATE ? " (private): " : ": ") + text);
          }
        })
        .build();
    client.connect().join();                            // logged in, or a typed ChatException
    client.sendAll("hello, everyone").join();           // the server said OK
    System.out.println("online: " + client.listUsers().join());
    client.close();                                     // drains, says QUIT, closes
    // ---- README example ends ----
  }
}
