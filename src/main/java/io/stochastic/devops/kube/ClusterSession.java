package io.stochastic.devops.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * A client for one command's conversation with one cluster, and the translation of what can go
 * wrong into one line: an unreachable server or rejected credentials become a
 * {@link KubeAccessException}, a refused request a {@link ClusterRequestException} naming the
 * request.
 *
 * <p>The client retries a failed request twice (fabric8's default is ten times with exponential
 * backoff, about 20 s before an unreachable cluster is reported); the
 * {@code KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT} environment variable or system property still
 * decides when set.
 */
public final class ClusterSession implements AutoCloseable {
  static final int CLI_RETRY_LIMIT = 2;

  private final KubernetesClient client;
  private final String context;
  private final String defaultNamespace;

  private final boolean ownsClient;

  private ClusterSession(KubernetesClient client, String context, String defaultNamespace,
      boolean ownsClient) {
    this.client = client;
    this.context = context;
    this.defaultNamespace = defaultNamespace;
    this.ownsClient = ownsClient;
  }

  /**
   * A session over a client someone else made and closes (a long-running component's, a
   * test's); {@code context} names the cluster in messages.
   */
  public static ClusterSession over(KubernetesClient client, String context) {
    String namespace = client.getNamespace() == null || client.getNamespace().isEmpty()
        ? "default" : client.getNamespace();
    return new ClusterSession(client, context, namespace, false);
  }

  /** A session on {@code context} of the factory's kubeconfig (null: the current context). */
  public static ClusterSession open(ClientFactory clients, String context) {
    Config config = clients.config(context);
    ConfigBuilder builder = new ConfigBuilder(config);
    if (System.getenv("KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT") == null && System.getProperty(
        Config.KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT_SYSTEM_PROPERTY) == null) {
      builder.withRequestRetryBackoffLimit(CLI_RETRY_LIMIT);
    }
    String contextName = context != null ? context
        : config.getCurrentContext() == null ? "(none)" : config.getCurrentContext().getName();
    String namespace = config.getNamespace() == null || config.getNamespace().isEmpty()
        ? "default" : config.getNamespace();
    return new ClusterSession(new KubernetesClientBuilder().withConfig(builder.build()).build(),
        contextName, namespace, true);
  }

  public KubernetesClient client() {
    return client;
  }

  /** The namespace of the context, or {@code default}: where objects that name none go. */
  public String defaultNamespace() {
    return defaultNamespace;
  }

  /** The kubeconfig context this session talks to. */
  public String context() {
    return context;
  }

  /** The API server's URL. */
  public String server() {
    return client.getConfiguration().getMasterUrl();
  }

  /**
   * Makes one request; {@code what} says what it does ({@code "listing DevOpsPolicies in
   * namespace shop"}) for the error message.
   */
  public <T> T request(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientTimeoutException e) {
      throw new KubeAccessException(what + ": timed out: " + firstLine(e.getMessage()), e);
    } catch (KubernetesClientException e) {
      throw translate(what, e);
    }
  }

  private KubeAccessException translate(String what, KubernetesClientException e) {
    if (e.getCode() == 0 || isIoFailure(e)) {
      String reason = isIoFailure(e) ? ClusterFailure.connectionProblem(e)
        : firstLine(e.getMessage());
      return new KubeAccessException("cannot reach the cluster at " + server() + " (context "
          + context + "): " + reason, e);
    }
    String message = ClusterFailure.statusMessage(e);
    return switch (e.getCode()) {
      case 401 -> new KubeAccessException("the cluster at " + server() + " rejected the "
          + "credentials of context " + context + " (401 Unauthorized) while " + what, e);
      case 403 -> new ClusterRequestException(what + " (context " + context + "): forbidden: "
          + message, 403, e);
      case 404 -> new ClusterRequestException(what + ": " + notFound(message), 404, e);
      case 409 -> new ClusterRequestException(what + ": conflict: " + message, 409, e);
      default -> new ClusterRequestException(what + ": " + message + " (" + e.getCode() + ")",
          e.getCode(), e);
    };
  }

  private static String notFound(String message) {
    return ClusterFailure.notServed(message)
        ? "the cluster does not serve the resource: is the kube-devops CRD installed? "
            + "(kube-devops crd install)"
        : message;
  }

  private static boolean isIoFailure(Throwable e) {
    return ClusterFailure.find(e, IOException.class) != null;
  }

  static String firstLine(String message) {
    return ClusterFailure.firstLine(message);
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
