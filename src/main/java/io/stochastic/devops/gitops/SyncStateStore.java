package io.stochastic.devops.gitops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.api.FieldManagers;
import io.stochastic.devops.api.Labels;

/**
 * Keeps {@link SyncState} in a ConfigMap of the sync's namespace in the cluster it syncs, as
 * JSON under {@link #KEY}: one per cluster, next to what it describes, readable by
 * {@code kubectl} and by {@code sync status}. Written with server-side apply under the sync's
 * field manager, so a write needs no read first.
 */
public final class SyncStateStore {
  /** The ConfigMap's name. */
  public static final String NAME = "kube-devops-sync-state";
  public static final String KEY = "state.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String namespace;

  public SyncStateStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** The stored state, or {@link SyncState#EMPTY} when the sync never ran against the cluster. */
  public SyncState load() {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(NAME).get();
    if (map == null || map.getData() == null || !map.getData().containsKey(KEY)) {
      return SyncState.EMPTY;
    }
    try {
      return JSON.readValue(map.getData().get(KEY), SyncState.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ConfigMap " + namespace + "/" + NAME + ": " + KEY
          + " is not a sync state: " + e.getOriginalMessage(), e);
    }
  }

  public void save(SyncState state) {
    String json;
    try {
      json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the sync state: " + e.getMessage(), e);
    }
    ConfigMap map = new ConfigMapBuilder()
        .withNewMetadata().withName(NAME).withNamespace(namespace)
        // not the sync's managed-by value: the state is not an object the sync could prune
        .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_KUBE_DEVOPS)
        .endMetadata()
        .addToData(KEY, json)
        .build();
    client.configMaps().inNamespace(namespace).resource(map).fieldManager(FieldManagers.SYNC)
        .forceConflicts().serverSideApply();
  }
}
