package io.stochastic.devops.engine.workload;

import io.stochastic.devops.engine.input.KubeObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which objects of a set are run by a workload of the same set, following {@code controller:
 * true} owner references up to the top-level controller (Pod → ReplicaSet → Deployment, Pod →
 * Job → CronJob). Those are judged once, through that workload: a Deployment's three Pods and its
 * ReplicaSet do not add three copies of its findings, and its pods' runtime state (restarts,
 * Pending) counts against it. Objects whose controller is not in the set (a pod of an operator's
 * custom resource, a listing of one namespace) are judged themselves, as bare pods are.
 *
 * <p>Owners are found by uid, as the API server links them; objects without uids (manifests
 * written by hand) by kind and name in the same namespace.
 */
public final class Ownership {
  /** Longer chains than this are cycles or nonsense in hostile input. */
  private static final int MAX_DEPTH = 8;
  private static final Ownership NONE = new Ownership(Map.of(), Map.of());

  private final Map<KubeObject, KubeObject> topOwner;
  private final Map<KubeObject, List<KubeObject>> pods;

  private Ownership(Map<KubeObject, KubeObject> topOwner, Map<KubeObject, List<KubeObject>> pods) {
    this.topOwner = topOwner;
    this.pods = pods;
  }

  /** No object is owned: each is judged itself. */
  public static Ownership none() {
    return NONE;
  }

  /** Ownership among objects whose workload kinds are the built-in ones. */
  public static Ownership of(List<KubeObject> objects) {
    return of(objects, object -> WorkloadKinds.BUILT_IN);
  }

  /**
   * @param kindsFor the workload kinds of an object's namespace (a policy may declare custom
   *     ones: a Rollout runs the ReplicaSets and Pods it owns)
   */
  public static Ownership of(List<KubeObject> objects,
      Function<KubeObject, WorkloadKinds> kindsFor) {
    Map<String, KubeObject> byUid = new HashMap<>();
    Map<String, KubeObject> byName = new HashMap<>();
    boolean anyOwned = false;
    for (KubeObject object : objects) {
      if (!kindsFor.apply(object).isWorkload(object)) {
        continue;
      }
      String uid = KubeObject.stringAt(object.metadata(), "uid");
      if (uid != null && !uid.isEmpty()) {
        byUid.put(uid, object);
      }
      byName.putIfAbsent(nameKey(object.namespace(), object.kind(), object.name()), object);
      anyOwned |= controllerRef(object) != null;
    }
    if (!anyOwned) {
      return NONE;
    }
    Map<KubeObject, KubeObject> topOwner = new IdentityHashMap<>();
    Map<KubeObject, List<KubeObject>> pods = new IdentityHashMap<>();
    for (KubeObject object : objects) {
      KubeObject top = null;
      KubeObject current = object;
      for (int depth = 0; depth < MAX_DEPTH; depth++) {
        KubeObject owner = owner(current, byUid, byName);
        if (owner == null || owner == object) {
          break;
        }
        top = owner;
        current = owner;
      }
      if (top != null) {
        topOwner.put(object, top);
        if (WorkloadKind.POD.kind().equals(object.kind())) {
          pods.computeIfAbsent(top, t -> new ArrayList<>()).add(object);
        }
      }
    }
    return new Ownership(topOwner, pods);
  }

  /** The top-level workload in the set that runs {@code object}, or null when none does. */
  public KubeObject topOwner(KubeObject object) {
    return topOwner.get(object);
  }

  /** The pods in the set that {@code workload} runs, through any chain of controllers. */
  public List<KubeObject> podsOf(KubeObject workload) {
    return pods.getOrDefault(workload, Collections.emptyList());
  }

  private static KubeObject owner(KubeObject object, Map<String, KubeObject> byUid,
      Map<String, KubeObject> byName) {
    Map<String, Object> ref = controllerRef(object);
    if (ref == null) {
      return null;
    }
    String uid = KubeObject.stringAt(ref, "uid");
    if (uid != null && !uid.isEmpty() && byUid.containsKey(uid)) {
      return byUid.get(uid);
    }
    if (uid != null && !uid.isEmpty() && !byUid.isEmpty()) {
      return null; // objects with uids: an owner not found by uid is not in the set
    }
    return byName.get(nameKey(object.namespace(), KubeObject.stringAt(ref, "kind"),
        KubeObject.stringAt(ref, "name")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> controllerRef(KubeObject object) {
    if (!(object.metadata().get("ownerReferences") instanceof List<?> refs)) {
      return null;
    }
    for (Object ref : refs) {
      if (ref instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("controller"))) {
        return (Map<String, Object>) map;
      }
    }
    return null;
  }

  private static String nameKey(String namespace, String kind, String name) {
    return namespace + "/" + kind + "/" + name;
  }
}
