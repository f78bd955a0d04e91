package io.github.obrol.benchmarks.load.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code nullsink} target: the least a server can do for {@code obrol-bench}'s modern exchange, so that
 * a figure measured against it is the generator's own ceiling. One event-loop thread holds every connection
 * (no hand-off between threads); it answers {@code LOGIN <name>} with {@code OK LOGIN <name>}, {@code PING
 * <token>} with {@code OK PING <token>} and {@code SEND <text>} with {@code OK SEND}, and writes {@code MSG
 * <sender> <text>} to every other logged-in connection, as a real server would (MD-LOGIN-1, MD-PING-1,
 * MD-SEND-1), so the generator's receive path does its full work. It checks nothing (no names, no lengths,
 * no JOIN or LEAVE notices, no rate limits), encodes each message once and shares its bytes among the
 * recipients, and flushes each connection once per read. A connection with more than 1 MiB waiting is
 * closed, as the reference server closes a slow consumer (GEN-LIMIT-5). It only counts: messages and
 * deliveries, printed when it stops.
 *
 * <p>Not a chat server: never expose it. It binds 127.0.0.1.
 */
public final class NullSink implements AutoCloseable {
  /** The line a child-JVM null sink prints once it listens, as the reference server does. */
  static final String STARTED = "nullsink started on port ";

  private static final byte[] OK_SEND = ascii("OK SEND\n");
  private static final byte[] OK_LOGIN = ascii("OK LOGIN ");
  private static final byte[] OK = ascii("OK ");
  private static final byte[] MSG = ascii("MSG ");
  private static final int MAX_PENDING = 1 << 20;

  private final EventLoopGroup group;
  private Channel server;
  /** Logged-in connections, touched only by the one event loop. */
  private final List<Connection> members = new ArrayList<>();
  /** Connections written to during the current read, flushed at its end. */
  private final List<Connection> dirty = new ArrayList<>();
  private long messages;
  private long deliveries;

  private NullSink(EventLoopGroup group) {
    this.group = group;
  }

  /** Starts a null sink on 127.0.0.1, port 0 for any free one. */
  public static NullSink start(int port) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("obrol-nullsink"), factory);
    NullSink sink = new NullSink(group);
    try {
      ServerBootstrap b = new ServerBootstrap()
          .group(group)
          .channel(channelClass)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(MAX_PENDING / 2, MAX_PENDING))
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(sink.new Connection(ch));
            }
          });
      sink.server = b.bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
      return sink;
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The address it listens on. */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Messages received and deliveries written so far (read on the event loop). */
  public long[] counts() {
    return group.next().submit(() -> new long[] {messages, deliveries}).syncUninterruptibly().getNow();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * A null sink as a process of its own: {@code java -cp obrol-bench.jar ...NullSink [PORT]}; prints {@link
   * #STARTED} and the port, then its counts when stopped (SIGTERM).
   */
  public static void main(String[] args) {
    System.setProperty("io.netty.leakDetection.level", System.getProperty("io.netty.leakDetection.level", "disabled"));
    NullSink sink = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long[] c = sink.counts();
      System.out.println("nullsink: " + c[0] + " messages, " + c[1] + " deliveries");
      sink.close();
    }));
    System.out.println(STARTED + sink.address().getPort());
    System.out.flush();
  }

  /** One connection's handler: splits lines in place and answers them. */
  private final class Connection extends ByteToMessageDecoder {
    private final Channel channel;
    /** {@code "MSG <name> "}, once logged in. */
    private byte[] msgPrefix;
    /** Whether it is in {@link #dirty}. */
    private boolean unflushed;

    Connection(Channel channel) {
      this.channel = channel;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      int start = in.readerIndex();
      int end = in.writerIndex();
      while (start < end) {
        int lf = in.forEachByte(start, end - start, ByteProcessor.FIND_LF);
        if (lf < 0) {
          break;
        }
        line(ctx, in, start, lf);
        start = lf + 1;
      }
      in.readerIndex(start);
      if (in.readableBytes() > MAX_PENDING) {
        ctx.close();
      }
    }

    private void line(ChannelHandlerContext ctx, ByteBuf in, int start, int end) {
      if (startsWith(in, start, end, "SEND ") && msgPrefix != null) {
        messages++;
        int textStart = start + 5;
        ByteBuf msg = ctx.alloc().buffer(msgPrefix.length + end - textStart + 1);
        msg.writeBytes(msgPrefix).writeBytes(in, textStart, end - textStart).writeByte('\n');
        for (int i = 0, n = members.size(); i < n; i++) {
          Connection member = members.get(i);
          if (member != this) {
            write(member, msg.retainedDuplicate());
            deliveries++;
          }
        }
        msg.release();
        write(this, Unpooled.wrappedBuffer(OK_SEND));
      } else if (startsWith(in, start, end, "LOGIN ") && msgPrefix == null) {
        ByteBuf name = in.retainedSlice(start + 6, end - start - 6);
        byte[] nameBytes = new byte[name.readableBytes()];
        name.getBytes(name.readerIndex(), nameBytes);
        name.release();
        msgPrefix = new byte[MSG.length + nameBytes.length + 1];
        System.arraycopy(MSG, 0, msgPrefix, 0, MSG.length);
        System.arraycopy(nameBytes, 0, msgPrefix, MSG.length, nameBytes.length);
        msgPrefix[msgPrefix.length - 1] = ' ';
        members.add(this);
        write(this, Unpooled.wrappedBuffer(OK_LOGIN, nameBytes, new byte[] {'\n'}));
      } else if (startsWith(in, start, end, "PING")) {
        ByteBuf reply = ctx.alloc().buffer(OK.length + end - start + 1);
        reply.writeBytes(OK).writeBytes(in, start, end - start).writeByte('\n');
        write(this, reply);
      }
      // Anything else: ignored (the generator sends nothing else).
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
      for (int i = 0, n = dirty.size(); i < n; i++) {
        Connection d = dirty.get(i);
        d.unflushed = false;
        Channel c = d.channel;
        c.flush();
        if (!c.isWritable()) {
          c.close(); // more than MAX_PENDING waiting: a consumer that does not read
        }
      }
      dirty.clear();
      super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      members.remove(this);
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private void write(Connection to, ByteBuf buf) {
    Channel c = to.channel;
    if (!c.isActive()) {
      buf.release();
      return;
    }
    if (!to.unflushed) {
      to.unflushed = true;
      dirty.add(to);
    }
    c.write(buf, c.voidPromise());
  }

  private static boolean startsWith(ByteBuf in, int start, int end, String prefix) {
    if (end - start < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (in.getByte(start + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
