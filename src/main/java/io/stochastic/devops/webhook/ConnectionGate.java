package io.stochastic.devops.webhook;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections open at once: one beyond the limit is closed as soon as it is accepted.
 * Failing fast is the point — a client kept waiting in the accept backlog times out only after
 * seconds (the API server's webhook timeout), opens more connections meanwhile and each costs a
 * TLS handshake; a closed connection makes the API server apply the configuration's
 * failurePolicy at once. The API server speaks HTTP/2 to the webhook, many reviews on one
 * connection, so the limit is far above what it needs.
 */
@Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);

  private final int limit;
  private final Runnable refused;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicBoolean full = new AtomicBoolean();

  ConnectionGate(int limit, Runnable refused) {
    this.limit = limit;
    this.refused = refused;
  }

  int open() {
    return open.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > limit) {
      refused.run();
      if (full.compareAndSet(false, true)) {
        LOG.warn("{} connections open, the limit: new ones are closed until one ends", limit);
      }
      ctx.close();
      return;
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (open.decrementAndGet() < limit && full.compareAndSet(true, false)) {
      LOG.info("below {} connections again", limit);
    }
    super.channelInactive(ctx);
  }
}
