package io.github.obrol.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;

/**
 * Tells TLS from plain text by a connection's first byte (TLS-1): {@code 0x16}, a TLS handshake record, puts an
 * {@link SslHandler} with the current context in its place; anything else is plain text and passes unchanged.
 * Decides on one byte, so a plain-text client that sends a single byte and waits is not held up (unlike a
 * detector that needs a whole 5-byte record header). Either way, it tells the connection handler what it decided
 * ({@link #PLAIN_TEXT}, or the SslHandler's handshake event) before any byte reaches it, then leaves the pipeline.
 */
final class TlsDetector extends ChannelInboundHandlerAdapter {
  /** The user event fired when a connection turned out to be plain text. */
  static final Object PLAIN_TEXT = new Object() {
    @Override
    public String toString() {
      return "PLAIN_TEXT";
    }
  };
  /** The first byte of a TLS record of type handshake (RFC 8446 section 5.1). */
  static final byte HANDSHAKE = 0x16;

  private final TlsContexts contexts;

  TlsDetector(TlsContexts contexts) {
    this.contexts = contexts;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    if (!buf.isReadable()) {
      buf.release();
      return;
    }
    if (buf.getByte(buf.readerIndex()) == HANDSHAKE) {
      SslHandler ssl = contexts.current().newHandler(ctx.alloc());
      ctx.pipeline().addAfter(ctx.name(), "tls", ssl);
    } else {
      ctx.fireUserEventTriggered(PLAIN_TEXT);
    }
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(buf);
  }
}
