package io.stochastic.devops.webhook;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers a review's body, up to the body limit. A larger one is answered 400 (not Netty's 413:
 * the API server treats both as a failed call, and a 400 with our sentence tells an operator
 * why); a kept-alive connection stays open and the rest of the body is read and dropped, so the
 * client gets its answer rather than a reset while it is still sending.
 */
final class ReviewAggregator extends HttpObjectAggregator {
  private static final Logger LOG = LoggerFactory.getLogger(ReviewAggregator.class);

  private final Reviews reviews;
  private final BodyReservation reservation;

  ReviewAggregator(Reviews reviews, BodyReservation reservation) {
    super(reviews.settings().maxBodyBytes());
    this.reviews = reviews;
    this.reservation = reservation;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    if (!(oversized instanceof HttpRequest request)) {
      ctx.close();
      return;
    }
    String webhook = ReviewConnection.webhookOf(new QueryStringDecoder(request.uri()).path());
    String message = "body larger than " + reviews.settings().maxBodyBytes() + " bytes";
    reviews.metrics().error(webhook, "oversized");
    LOG.info("{}: answered 400: {}", webhook, message);
    reservation.answered();
    boolean close = oversized instanceof FullHttpMessage || !ctx.channel().config().isAutoRead()
        || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
    var answer = ReviewConnection.text(HttpResponseStatus.BAD_REQUEST, message + "\n", !close);
    if (close) {
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }
}
