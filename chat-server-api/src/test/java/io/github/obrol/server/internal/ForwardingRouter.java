package io.github.obrol.server.internal;

import io.github.obrol.protocol.LeaveReason;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** A router that forwards to another; tests override single methods. */
class ForwardingRouter implements Router {
  private final Router delegate;

  ForwardingRouter(Router delegate) {
    this.delegate = delegate;
  }

  @Override
  public void login(Member member, String name, Consumer<Boolean> done) {
    delegate.login(member, name, done);
  }

  @Override
  public void depart(Member member, LeaveReason reason, String detail, boolean announce) {
    delegate.depart(member, reason, detail, announce);
  }

  @Override
  public boolean isTaken(String name) {
    return delegate.isTaken(name);
  }

  @Override
  public void list(Member member, Consumer<List<String>> done) {
    delegate.list(member, done);
  }

  @Override
  public void broadcast(Member from, String text, IntConsumer done) {
    delegate.broadcast(from, text, done);
  }

  @Override
  public void sendTo(Member from, String recipient, String text, Consumer<String> done) {
    delegate.sendTo(from, recipient, text, done);
  }

  @Override
  public CompletionStage<Integer> notice(String text) {
    return delegate.notice(text);
  }

  @Override
  public CompletionStage<Boolean> notice(String name, String text) {
    return delegate.notice(name, text);
  }

  @Override
  public CompletionStage<Boolean> kick(String name, String reason) {
    return delegate.kick(name, reason);
  }

  @Override
  public int size() {
    return delegate.size();
  }
}
