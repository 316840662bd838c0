package io.stochastic.devops.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The log of a long-running component: kube-devops's own loggers at INFO (a component's log is
 * its record; the CLI's one-shot commands log warnings only), one line per event naming the
 * object it concerns with key-value pairs ({@code object=DevOpsPolicy/shop/shop-policy
 * cluster=prod}), as text or as JSON lines for a log pipeline (Loki, Elasticsearch).
 *
 * <p>The configuration is logback's ({@code logback.xml}); this only adjusts it at start.
 */
public final class ComponentLogging {
  /** The package whose loggers a component raises to INFO. */
  static final String OWN_LOGGERS = "io.stochastic.devops";

  /** How log lines are written. */
  public enum Format {
    /** {@code 2026-12-03T07:00:00.000Z INFO PolicySync - applied object=...}. */
    text,
    /** One JSON object per line: timestamp, level, loggerName, message, mdc, kvpList. */
    json
  }

  private ComponentLogging() {}

  /** Raises kube-devops's loggers to INFO and writes lines in {@code format}. */
  public static void configure(Format format) {
    LoggerContext context = context();
    if (context == null) {
      return;
    }
    Logger own = context.getLogger(OWN_LOGGERS);
    if (own.getLevel() == null || own.getLevel().isGreaterOrEqual(Level.WARN)) {
      own.setLevel(Level.INFO);
    }
    if (format == Format.json) {
      Iterator<Appender<ILoggingEvent>> appenders =
          context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
      while (appenders.hasNext()) {
        if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
          stream.stop();
          stream.setEncoder(jsonEncoder(context));
          stream.start();
        }
      }
    }
  }

  /** Every logger at DEBUG ({@code --debug}). */
  public static void debug() {
    LoggerContext context = context();
    if (context != null) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
      context.getLogger(OWN_LOGGERS).setLevel(Level.DEBUG);
    }
  }

  private static JsonEncoder jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    // what a log pipeline indexes; logback's context, sequence numbers and raw arguments are noise
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithThreadName(false);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }

  private static LoggerContext context() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    // another slf4j binding on the class path (an embedding application): leave its logging be
    return factory instanceof LoggerContext context ? context : null;
  }
}
