package io.github.obrol.server.internal;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Router} for one node of a cluster: it joins the cluster before the server takes users and leaves
 * it after they departed. Free of any client library's types, so that a single server, which never loads an
 * implementation ({@link RedisRouter}), needs none on its class path.
 */
interface ClusterRouter extends Router {
  /** Joins the cluster (blocking, bounded); routes on {@code fanOutLoop}. Throws if the cluster cannot be reached. */
  void start(EventLoop fanOutLoop);

  /** Leaves the cluster once this node's users departed; completes within about {@code timeout}. */
  CompletableFuture<Void> close(Duration timeout);
}
