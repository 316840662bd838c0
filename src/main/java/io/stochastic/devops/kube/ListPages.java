package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A paginated list ({@code limit}/{@code continue}), one page at a time: each item is handed on
 * before the next page is asked for, so a large list is never held whole as fabric8 objects.
 */
public final class ListPages {
  private ListPages() {}

  /**
   * Asks for pages of {@code limit} items with {@code request} (given the options of each page:
   * the limit, the continue token, and what {@code base} sets, such as a label selector) until
   * the API server says there is no more, and hands each item to {@code each}.
   */
  public static <T extends HasMetadata> void forEach(ListOptions base, long limit,
      Function<ListOptions, ? extends KubernetesResourceList<T>> request, Consumer<T> each) {
    String token = null;
    do {
      ListOptions options = new ListOptionsBuilder(base).withLimit(limit).withContinue(token)
          .build();
      KubernetesResourceList<T> page = request.apply(options);
      page.getItems().forEach(each);
      token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
  }

  /** {@link #forEach(ListOptions, long, Function, Consumer)} without other options. */
  public static <T extends HasMetadata> void forEach(long limit,
      Function<ListOptions, ? extends KubernetesResourceList<T>> request, Consumer<T> each) {
    forEach(new ListOptions(), limit, request, each);
  }
}
