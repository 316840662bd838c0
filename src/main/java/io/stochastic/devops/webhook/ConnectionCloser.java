package io.stochastic.devops.webhook;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection: closes it when it has been idle for the idle timeout (an
 * HTTP/2 connection says GOAWAY first) and when anything below failed — TLS alerts, resets and
 * garbage from clients take the connection, never the server.
 */
final class ConnectionCloser extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCloser.class);

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection closed after an error: {}", cause.getMessage());
    ctx.close();
  }
}
