package io.stochastic.devops.webhook;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's share of the {@link BodyBudget}: each request reserves its declared body (the
 * body limit when it declares none) before the body is read, and gives it back when it is
 * answered; what a closed connection still holds goes back when it closes. A request that finds
 * the budget spent is answered 503 and the connection closed, so that the API server applies its
 * failurePolicy at once instead of waiting for a timeout. Runs on the connection's event loop.
 */
final class BodyReservation extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(BodyReservation.class);

  private final BodyBudget budget;
  private final int maxBodyBytes;
  private final java.util.function.Consumer<String> refused;
  private final ArrayDeque<Long> held = new ArrayDeque<>();
  private boolean discarding;

  BodyReservation(BodyBudget budget, int maxBodyBytes,
      java.util.function.Consumer<String> refused) {
    this.budget = budget;
    this.maxBodyBytes = maxBodyBytes;
    this.refused = refused;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (discarding) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      long declared = HttpUtil.getContentLength(request, -1L);
      // a declared body above the limit is not buffered: the aggregator answers it 400
      long bytes = declared < 0 ? maxBodyBytes : declared > maxBodyBytes ? 0 : declared;
      if (!budget.reserve(bytes)) {
        discarding = true;
        ReferenceCountUtil.release(msg);
        refused.accept(ReviewConnection.webhookOf(
            new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).path()));
        LOG.warn("request bodies held in memory reached the limit: a review answered 503");
        DefaultFullHttpResponse busy = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.SERVICE_UNAVAILABLE);
        busy.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        busy.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(busy).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      held.addLast(bytes);
    } else if (!(msg instanceof HttpContent)) {
      LOG.debug("unexpected message {}", msg.getClass().getSimpleName());
    }
    ctx.fireChannelRead(msg);
  }

  /** The oldest request of the connection was answered: its reservation goes back. */
  void answered() {
    Long bytes = held.pollFirst();
    if (bytes != null) {
      budget.release(bytes);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    for (Long bytes; (bytes = held.pollFirst()) != null; ) {
      budget.release(bytes);
    }
    super.channelInactive(ctx);
  }
}
