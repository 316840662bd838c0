package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * fabric8 informers on one resource, as generic objects (the trees a cluster audit lists): one
 * cluster-wide, or one per namespace watched. Their caches are indexed by namespace, so that a
 * namespace's objects are found without a scan ({@link #list(String)}: a {@link
 * CachedObjectSource.NamespaceCache}).
 */
public final class ResourceInformer implements CachedObjectSource.NamespaceCache, AutoCloseable {
  /** Items per list request at start, as a cluster audit pages its lists. */
  private static final long PAGE_SIZE = ClusterObjectSource.PAGE_SIZE;
  /** A list of one item: enough to learn whether listing is allowed. */
  private static final ListOptions ONE = new ListOptionsBuilder().withLimit(1L).build();

  private final String type;
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers;

  private ResourceInformer(String type, List<SharedIndexInformer<GenericKubernetesResource>>
      informers) {
    this.type = type;
    this.informers = informers;
  }

  /**
   * Informers on {@code resource} in {@code namespaces} (empty: every namespace), each telling
   * {@code handler}; not started ({@link #start()}).
   */
  public static ResourceInformer of(KubernetesClient client, ResourceDefinitionContext resource,
      Collection<String> namespaces, ResourceEventHandler<GenericKubernetesResource> handler) {
    var operation = client.genericKubernetesResources(resource);
    List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    if (namespaces.isEmpty()) {
      informers.add(operation.inAnyNamespace().withLimit(PAGE_SIZE).runnableInformer(0));
    } else {
      for (String namespace : namespaces) {
        informers.add(operation.inNamespace(namespace).withLimit(PAGE_SIZE).runnableInformer(0));
      }
    }
    informers.forEach(informer -> informer.addEventHandler(handler));
    return new ResourceInformer(type(resource), informers);
  }

  /**
   * One list of one item of {@code resource} in each of {@code namespaces} (empty: all), before
   * any informer starts: an informer that may not list logs its failure with a stack trace and
   * stops, where this is one line naming the request ({@code listing pods in namespace shop
   * (context prod): forbidden: ...}).
   */
  public static void requireListable(ClusterSession session,
      ResourceDefinitionContext resource, Collection<String> namespaces) {
    var operation = session.client().genericKubernetesResources(resource);
    String type = type(resource);
    if (namespaces.isEmpty()) {
      session.request("listing " + type + " in all namespaces",
          () -> operation.inAnyNamespace().list(ONE));
    } else {
      for (String namespace : namespaces) {
        session.request("listing " + type + " in namespace " + namespace,
            () -> operation.inNamespace(namespace).list(ONE));
      }
    }
  }

  private static String type(ResourceDefinitionContext resource) {
    return resource.getGroup() == null || resource.getGroup().isEmpty()
        ? resource.getPlural() : resource.getPlural() + "." + resource.getGroup();
  }

  /** {@code pods}, {@code deployments.apps}: as kubectl and RBAC rules name it. */
  public String type() {
    return type;
  }

  /** Starts listing and watching; the future completes once every cache holds the first list. */
  public CompletableFuture<Void> start() {
    return CompletableFuture.allOf(informers.stream()
        .map(informer -> informer.start().toCompletableFuture())
        .toArray(CompletableFuture[]::new));
  }

  /**
   * Starts every informer of {@code all} and waits until each cache holds its first list: an
   * unreachable cluster, a refused list (RBAC) or a resource the server does not serve is one
   * line naming the resource, and every informer is stopped again.
   */
  public static void startAll(Collection<ResourceInformer> all, Duration timeout) {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (ResourceInformer informer : all) {
      started.add(informer.start());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int i = 0;
    for (ResourceInformer informer : all) {
      try {
        started.get(i++).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        all.forEach(ResourceInformer::close);
        throw new KubeAccessException("cannot watch " + informer.type() + ": "
            + deepestMessage(e), e);
      } catch (TimeoutException e) {
        all.forEach(ResourceInformer::close);
        throw new KubeAccessException("cannot watch " + informer.type() + ": the first list"
            + " did not complete within " + timeout.toSeconds() + " s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        all.forEach(ResourceInformer::close);
        throw new KubeAccessException("interrupted while starting the informers", e);
      }
    }
  }

  private static String deepestMessage(Throwable e) {
    String reason = e.toString();
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        reason = cause.getMessage();
      }
    }
    return reason;
  }

  /** The cached objects of {@code namespace}, found through the namespace index. */
  @Override
  public Stream<GenericKubernetesResource> list(String namespace) {
    if (informers.size() == 1) {
      return informers.get(0).getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream();
    }
    return informers.stream()
        .flatMap(i -> i.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream());
  }

  /** Every cached object. */
  public Stream<GenericKubernetesResource> all() {
    return informers.stream().flatMap(i -> i.getStore().list().stream());
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
  }
}
