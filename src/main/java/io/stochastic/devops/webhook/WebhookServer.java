package io.stochastic.devops.webhook;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.stochastic.devops.metrics.WebhookMetrics;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * The webhook's HTTPS server: {@code POST /validate} and {@code POST /mutate} take an
 * AdmissionReview v1 and answer one. Netty's event loops carry TLS (1.2 and 1.3 only, with the
 * certificate of a {@link ServingCertificate}, which follows its files), HTTP/2 (what the API
 * server speaks to a webhook that offers it: many reviews on one connection) and HTTP/1.1 with
 * keep-alive; judging runs on its own bounded pool, so a slow review is abandoned at its budget
 * while the event loops keep serving every other connection.
 *
 * <p>Never the cause of an outage, and bounded on every axis: connections (closed beyond the
 * limit), body size (400), bodies held at once (503), reviews judged and waiting (beyond them, the
 * failure mode), idle connections (closed), time per review (the failure mode). The failure mode
 * admits with a warning (fail-open, the default) or denies ({@code --fail-closed}); it is counted
 * and logged. See {@link ReviewConnection} for one connection's life.
 */
public final class WebhookServer implements AutoCloseable {
  public static final String VALIDATE = "/validate";
  public static final String MUTATE = "/mutate";
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final WebhookSettings settings;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup loops;
  private final ThreadPoolExecutor judges;
  private final ConnectionGate gate;
  private final Reviews reviews;
  private final Channel listener;
  private final AtomicBoolean closed = new AtomicBoolean();

  private WebhookServer(WebhookSettings settings, EventLoopGroup acceptor, EventLoopGroup loops,
      ThreadPoolExecutor judges, ConnectionGate gate, Reviews reviews, Channel listener) {
    this.settings = settings;
    this.acceptor = acceptor;
    this.loops = loops;
    this.judges = judges;
    this.gate = gate;
    this.reviews = reviews;
    this.listener = listener;
  }

  /** Starts serving; throws {@link UncheckedIOException} when the port cannot be bound. */
  public static WebhookServer start(WebhookSettings settings, AdmissionReviewer reviewer,
      SSLContext tls, WebhookMetrics metrics) {
    return start(settings, reviewer::validate, reviewer::mutate, tls, metrics);
  }

  /** Starts serving with these judges (tests give slow or failing ones). */
  static WebhookServer start(WebhookSettings settings, Function<AdmissionInput, Verdict> validate,
      Function<AdmissionInput, Verdict> mutate, SSLContext tls, WebhookMetrics metrics) {
    ThreadPoolExecutor judges = new ThreadPoolExecutor(settings.concurrency(),
        settings.concurrency(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(Math.max(1, settings.queue())),
        new DefaultThreadFactory("kube-devops-webhook-judge", true),
        new ThreadPoolExecutor.AbortPolicy());
    Reviews reviews = new Reviews(settings, validate, mutate, judges, metrics,
        new BodyBudget(settings.bufferedBodyBytes()));
    ConnectionGate gate = new ConnectionGate(settings.maxConnections(),
        () -> metrics.error("any", "connections"));
    EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("kube-devops-webhook-accept", true), NioIoHandler.newFactory());
    // TLS and HTTP framing are the event loops' work; judging is the pool's. One loop per core.
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(
        Runtime.getRuntime().availableProcessors(),
        new DefaultThreadFactory("kube-devops-webhook-io", true), NioIoHandler.newFactory());
    // Netty's wrapper of the JDK's context: the engines it makes report the protocol ALPN chose
    SslContext serverTls = new JdkSslContext(tls, false, Http2SecurityUtil.CIPHERS,
        SupportedCipherSuiteFilter.INSTANCE, new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1),
        ClientAuth.NONE, PROTOCOLS, false);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(acceptor, loops)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            ChannelPipeline pipeline = channel.pipeline();
            pipeline.addLast(gate);
            pipeline.addLast(new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(),
                TimeUnit.MILLISECONDS));
            pipeline.addLast(serverTls.newHandler(channel.alloc()));
            pipeline.addLast(new ProtocolChoice(reviews));
            pipeline.addLast(new ConnectionCloser());
          }
        });
    Channel listener;
    try {
      listener = bootstrap.bind(new InetSocketAddress(settings.bindAddress(), settings.port()))
          .syncUninterruptibly().channel();
    } catch (Exception e) {
      // Netty rethrows the bind's IOException undeclared: one clear line for the command
      shutDown(acceptor, loops, judges);
      throw new UncheckedIOException("cannot serve HTTPS on " + settings.bindAddress() + ":"
          + settings.port() + ": " + e.getMessage(), new java.io.IOException(e));
    }
    return new WebhookServer(settings, acceptor, loops, judges, gate, reviews, listener);
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Request bodies reserved in memory now (for tests). */
  long bufferedBodyBytes() {
    return reviews.budget().reserved();
  }

  /** Connections open now (for tests and logs). */
  int openConnections() {
    return gate.open();
  }

  /**
   * Stops accepting, lets the reviews in flight finish (up to their budget), then stops; a second
   * call does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    listener.close().syncUninterruptibly();
    judges.shutdown();
    try {
      judges.awaitTermination(settings.timeBudget().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // a short quiet period lets the answers of the last reviews reach their connections
    loops.shutdownGracefully(50, settings.timeBudget().toMillis(), TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
    acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    judges.shutdownNow();
  }

  private static void shutDown(EventLoopGroup acceptor, EventLoopGroup loops,
      ThreadPoolExecutor judges) {
    acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    judges.shutdownNow();
  }
}
