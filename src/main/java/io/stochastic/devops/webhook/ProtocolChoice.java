package io.stochastic.devops.webhook;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the TLS handshake, the protocol the client chose (ALPN): HTTP/2, each stream then a
 * channel of its own carrying one review as HTTP objects, or HTTP/1.1 on the connection. Either
 * way a review meets the same handlers: its body reserved ({@link BodyReservation}), gathered up
 * to the limit ({@link ReviewAggregator}) and answered ({@link ReviewConnection}).
 */
final class ProtocolChoice extends ApplicationProtocolNegotiationHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProtocolChoice.class);
  /** Reviews in flight on one HTTP/2 connection; the API server opens another beyond it. */
  static final int MAX_CONCURRENT_STREAMS = 256;
  private static final int MAX_HEADER_LIST_BYTES = 16 * 1024;

  private final Reviews reviews;

  ProtocolChoice(Reviews reviews) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.reviews = reviews;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    ChannelPipeline pipeline = ctx.pipeline();
    String name = ctx.name();
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      pipeline.addAfter(name, "http2", Http2FrameCodecBuilder.forServer()
          .initialSettings(Http2Settings.defaultSettings()
              .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
              .maxHeaderListSize(MAX_HEADER_LIST_BYTES))
          .build());
      pipeline.addAfter("http2", "streams", new Http2MultiplexHandler(
          new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
              stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
              addReviewHandlers(stream.pipeline());
            }
          }));
    } else {
      pipeline.addAfter(name, "http1", new HttpServerCodec());
      addReviewHandlers(pipeline);
    }
  }

  private void addReviewHandlers(ChannelPipeline pipeline) {
    BodyReservation reservation = new BodyReservation(reviews.budget(),
        reviews.settings().maxBodyBytes(),
        webhook -> reviews.metrics().error(webhook, "busy"));
    if (pipeline.get(ConnectionCloser.class) != null) {
      pipeline.addBefore(pipeline.context(ConnectionCloser.class).name(), null, reservation);
      pipeline.addBefore(pipeline.context(ConnectionCloser.class).name(), null,
          new ReviewAggregator(reviews, reservation));
      pipeline.addBefore(pipeline.context(ConnectionCloser.class).name(), null,
          new ReviewConnection(reviews, reservation));
    } else {
      pipeline.addLast(reservation, new ReviewAggregator(reviews, reservation),
          new ReviewConnection(reviews, reservation));
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    // a scanner, a client that trusts another CA, TLS 1.1: the client is told by the alert
    LOG.debug("TLS handshake refused: {}", cause.getMessage());
    ctx.close();
  }
}
