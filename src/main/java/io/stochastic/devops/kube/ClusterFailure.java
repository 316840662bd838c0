package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * What went wrong with a request to the API server, in a few words and no class names: the
 * one description that every message of the cluster commands and components is made of.
 */
public final class ClusterFailure {
  private ClusterFailure() {}

  /** The request got no HTTP answer: connection refused, reset, timed out, TLS failed... */
  public static boolean noAnswer(KubernetesClientException e) {
    return e.getCode() <= 0 || find(e, IOException.class) != null;
  }

  /** The API server's message (its Status), else the exception's; first line only. */
  public static String statusMessage(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return firstLine(status.getMessage());
    }
    return firstLine(e.getMessage());
  }

  /**
   * Whether a 404's message says the resource type is not served at all (a CRD not installed);
   * a missing object or namespace is {@code <type> "<name>" not found} instead.
   */
  public static boolean notServed(String message) {
    return message.equals("Not Found") || message.contains("404 page not found")
        || message.contains("could not find the requested resource");
  }

  /** What went wrong with the connection, from the exception chain. */
  public static String connectionProblem(Throwable e) {
    if (find(e, UnknownHostException.class) != null
        || find(e, UnresolvedAddressException.class) != null) {
      return "unknown host";
    }
    if (find(e, HttpTimeoutException.class) != null) {
      return "timed out";
    }
    SSLException tls = find(e, SSLException.class);
    if (tls != null) {
      return "TLS failed" + (tls.getMessage() == null ? "" : ": " + firstLine(tls.getMessage()));
    }
    if (find(e, ConnectException.class) != null) {
      return "connection refused";
    }
    IOException io = find(e, IOException.class);
    if (io != null && io.getMessage() != null && !io.getMessage().isBlank()) {
      return "connection failed: " + firstLine(io.getMessage());
    }
    return "connection failed";
  }

  static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
