package io.stochastic.devops.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTPS connection of the webhook, on its event loop. A review is parsed on the loop (its
 * size is bounded), judged on the judges' pool, and answered on the loop — by its verdict, or by
 * the failure mode when judging fails, cannot start or outlasts the time budget, whichever comes
 * first. One review at a time per connection (per stream in HTTP/2): the connection stops
 * reading until the answer is written, so answers keep the order of the requests even if an
 * HTTP/1.1 client pipelines them.
 */
final class ReviewConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ReviewConnection.class);

  private final Reviews reviews;
  private final BodyReservation reservation;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private boolean busy;

  ReviewConnection(Reviews reviews, BodyReservation reservation) {
    this.reviews = reviews;
    this.reservation = reservation;
  }

  /** {@code validate}, {@code mutate}, or {@code other} for any other path. */
  static String webhookOf(String path) {
    return switch (path) {
      case WebhookServer.VALIDATE -> "validate";
      case WebhookServer.MUTATE -> "mutate";
      default -> "other";
    };
  }

  static FullHttpResponse text(HttpResponseStatus status, String text, boolean keepAlive) {
    return response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8),
        keepAlive);
  }

  private static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body,
      boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return response;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (busy) {
      waiting.addLast(request);
      return;
    }
    serve(ctx, request);
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    busy = true;
    ctx.channel().config().setAutoRead(false);
    long start = System.nanoTime();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String path = new QueryStringDecoder(request.uri()).path();
    String webhook = webhookOf(path);
    try {
      if (request.decoderResult().isFailure()) {
        badRequest(ctx, webhook, "malformed", "not an HTTP request: "
            + request.decoderResult().cause().getMessage(), false);
        return;
      }
      Function<AdmissionInput, Verdict> judge = reviews.judge(webhook);
      if (judge == null) {
        answer(ctx, text(HttpResponseStatus.NOT_FOUND, "not found: " + path + " (POST "
            + WebhookServer.VALIDATE + " or " + WebhookServer.MUTATE + ")\n", keepAlive));
        return;
      }
      if (!request.method().equals(HttpMethod.POST)) {
        FullHttpResponse refusal = text(HttpResponseStatus.METHOD_NOT_ALLOWED,
            "an AdmissionReview is POSTed\n", keepAlive);
        refusal.headers().set(HttpHeaderNames.ALLOW, "POST");
        answer(ctx, refusal);
        return;
      }
      AdmissionInput input;
      try {
        JsonNode tree = reviews.mapper().readTree(
            (java.io.InputStream) new ByteBufInputStream(request.content()));
        input = AdmissionInput.parse(tree, reviews.mapper());
      } catch (MalformedReview e) {
        badRequest(ctx, webhook, "malformed", e.getMessage(), keepAlive);
        return;
      } catch (JsonProcessingException e) {
        badRequest(ctx, webhook, "malformed", "the body is not JSON: " + e.getOriginalMessage(),
            keepAlive);
        return;
      } catch (IOException e) {
        badRequest(ctx, webhook, "malformed", "the body cannot be read: " + e.getMessage(),
            keepAlive);
        return;
      }
      judge(ctx, webhook, input, judge, keepAlive, start);
    } catch (RuntimeException e) {
      // a bug outside judging (judging's own failures get the failure mode): a 500, logged,
      // and the API server applies the configuration's failurePolicy
      reviews.metrics().error(webhook, "internal");
      LOG.atWarn().setCause(e).log("{}: answering a review failed", webhook);
      answer(ctx, text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n", false));
    } finally {
      request.release();
    }
  }

  /**
   * Judges on the pool; whichever comes first of the verdict and the time budget answers, on the
   * loop. A verdict that arrives after the budget is dropped (its judge was interrupted).
   */
  private void judge(ChannelHandlerContext ctx, String webhook, AdmissionInput input,
      Function<AdmissionInput, Verdict> judge, boolean keepAlive, long start) {
    boolean[] answered = {false};
    Future<?>[] judging = {null};
    ScheduledFuture<?>[] deadline = {null};
    Runnable[] finish = new Runnable[1];
    try {
      judging[0] = reviews.judges().submit(() -> {
        Verdict verdict;
        try {
          verdict = judge.apply(input);
        } catch (RuntimeException e) {
          LOG.atWarn().setCause(e).log("{}: judging {} failed", webhook, input.displayName());
          ctx.executor().execute(() -> {
            if (!answered[0]) {
              answered[0] = true;
              deadline[0].cancel(false);
              verdictAnswer(ctx, webhook, input, reviews.failed(webhook, input, "internal",
                  String.valueOf(e)), keepAlive, start);
            }
          });
          return;
        }
        byte[] body = serialize(input, verdict);
        ctx.executor().execute(() -> {
          if (!answered[0]) {
            answered[0] = true;
            deadline[0].cancel(false);
            write(ctx, webhook, input, verdict, body, keepAlive, start);
          }
        });
      });
    } catch (RejectedExecutionException e) {
      verdictAnswer(ctx, webhook, input,
          reviews.failed(webhook, input, "overloaded", "every judge is busy"), keepAlive, start);
      return;
    }
    Duration budget = reviews.settings().timeBudget();
    deadline[0] = ctx.executor().schedule(() -> {
      if (!answered[0]) {
        answered[0] = true;
        judging[0].cancel(true);
        verdictAnswer(ctx, webhook, input, reviews.failed(webhook, input, "timeout",
            "judging took longer than " + budget.toMillis() + " ms"), keepAlive, start);
      }
    }, budget.toNanos(), TimeUnit.NANOSECONDS);
  }

  private byte[] serialize(AdmissionInput input, Verdict verdict) {
    try {
      return reviews.mapper().writeValueAsBytes(AdmissionResponses.review(input.uid(), verdict));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an AdmissionReview answer cannot be written", e);
    }
  }

  private void verdictAnswer(ChannelHandlerContext ctx, String webhook, AdmissionInput input,
      Verdict verdict, boolean keepAlive, long start) {
    write(ctx, webhook, input, verdict, serialize(input, verdict), keepAlive, start);
  }

  private void write(ChannelHandlerContext ctx, String webhook, AdmissionInput input,
      Verdict verdict, byte[] body, boolean keepAlive, long start) {
    answer(ctx, response(HttpResponseStatus.OK, "application/json", body, keepAlive))
        .addListener(written -> {
          if (written.isSuccess()) {
            reviews.metrics().answered(webhook, input.operation(), input.kind(),
                verdict.decision(), Duration.ofNanos(System.nanoTime() - start));
          } else {
            // the API server hung up (its own timeout): nothing left to answer
            reviews.metrics().error(webhook, "connection");
            LOG.debug("{}: connection lost: {}", webhook, written.cause().getMessage());
          }
        });
    if (!verdict.allowed()) {
      LOG.atInfo().addKeyValue("object", input.displayName())
          .addKeyValue("operation", input.operation()).addKeyValue("uid", input.uid())
          .log("{} denied {} {}: {}", webhook, input.operation(), input.displayName(),
              verdict.message().lines().findFirst().orElse(""));
    }
  }

  private void badRequest(ChannelHandlerContext ctx, String webhook, String reason,
      String message, boolean keepAlive) {
    reviews.metrics().error(webhook, reason);
    LOG.info("{}: answered 400: {}", webhook, message);
    answer(ctx, text(HttpResponseStatus.BAD_REQUEST, message + "\n", keepAlive));
  }

  /** Writes an answer, then reads the next request (or closes when the client asked to). */
  private ChannelFuture answer(ChannelHandlerContext ctx, FullHttpResponse response) {
    boolean keepAlive = HttpUtil.isKeepAlive(response);
    ChannelFuture written = ctx.writeAndFlush(response);
    written.addListener(done -> {
      reservation.answered();
      busy = false;
      if (!keepAlive || !done.isSuccess()) {
        ctx.close();
        return;
      }
      FullHttpRequest next = waiting.pollFirst();
      if (next != null) {
        serve(ctx, next);
      } else {
        ctx.channel().config().setAutoRead(true);
      }
    });
    return written;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    for (FullHttpRequest request; (request = waiting.pollFirst()) != null; ) {
      request.release();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // a broken stream or connection goes; the server stays
    LOG.debug("closed after an error: {}", cause.getMessage());
    ctx.close();
  }
}
