package io.github.obrol.server.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.server.InboundMessage;
import io.github.obrol.server.ServerObserver;
import io.github.obrol.server.SessionInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Per message, the server notifies observers only if one of them listens to messages: an observer that only
 * logs refused logins (as the runnable server's) must not cost every broadcast a hand-off to the observer
 * thread. One that overrides {@code onMessage} still gets every message.
 */
class HooksObservesMessagesTest {
  private static Hooks hooks(List<ServerObserver> observers) {
    return new Hooks(Runnable::run, observers, Duration.ofSeconds(1), new Metrics());
  }

  @Test
  @DisplayName("observers that do not override onMessage: no per-message notification")
  void errorOnlyObserverDoesNotObserveMessages() {
    ServerObserver errorsOnly = new ServerObserver() {
      @Override
      public void onError(SessionInfo session, ErrorCode code, String detail) {}
    };
    assertFalse(hooks(List.of(errorsOnly)).observesMessages());
    assertFalse(hooks(List.of()).observesMessages());
  }

  @Test
  @DisplayName("an observer that overrides onMessage, alone or beside others, is notified of messages")
  void messageObserverObservesMessages() {
    ServerObserver messages = new ServerObserver() {
      @Override
      public void onMessage(InboundMessage message, int deliveries) {}
    };
    ServerObserver errorsOnly = new ServerObserver() {};
    assertTrue(hooks(List.of(errorsOnly, messages)).observesMessages());
  }
}
