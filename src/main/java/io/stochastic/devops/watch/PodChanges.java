package io.stochastic.devops.watch;

import io.stochastic.devops.metrics.WatchMetrics.Transition;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two versions of a pod that a platform team charts: container restarts
 * and the pod entering Failed, CrashLoopBackOff or Unschedulable. Compares {@code status} trees
 * (as maps: the informer's generic objects), so that a status write repeating the same state
 * counts nothing.
 *
 * @param restarts how much the containers' restart counts grew (init containers included)
 * @param entered the states the new version is in and the old one was not
 */
record PodChanges(long restarts, Set<Transition> entered) {
  static final PodChanges NONE = new PodChanges(0, Set.of());

  /** The changes from {@code before} to {@code after}, two {@code status} trees (null: none). */
  static PodChanges between(Map<String, Object> before, Map<String, Object> after) {
    if (after == null) {
      return NONE;
    }
    long restarts = Math.max(0, restartCount(after) - restartCount(before));
    Set<Transition> entered = EnumSet.noneOf(Transition.class);
    Set<Transition> was = states(before);
    for (Transition state : states(after)) {
      if (!was.contains(state)) {
        entered.add(state);
      }
    }
    return restarts == 0 && entered.isEmpty() ? NONE : new PodChanges(restarts, entered);
  }

  /** The states of {@link Transition} a pod's status is in. */
  static Set<Transition> states(Map<String, Object> status) {
    Set<Transition> states = EnumSet.noneOf(Transition.class);
    if (status == null) {
      return states;
    }
    if ("Failed".equals(status.get("phase"))) {
      states.add(Transition.FAILED);
    }
    for (Map<String, Object> container : containerStatuses(status)) {
      Object waiting = map(map(container.get("state")).get("waiting")).get("reason");
      if ("CrashLoopBackOff".equals(waiting)) {
        states.add(Transition.CRASH_LOOP_BACK_OFF);
      }
    }
    for (Object condition : list(status.get("conditions"))) {
      Map<String, Object> c = map(condition);
      if ("PodScheduled".equals(c.get("type")) && "False".equals(c.get("status"))
          && "Unschedulable".equals(c.get("reason"))) {
        states.add(Transition.UNSCHEDULABLE);
      }
    }
    return states;
  }

  private static long restartCount(Map<String, Object> status) {
    long total = 0;
    if (status != null) {
      for (Map<String, Object> container : containerStatuses(status)) {
        if (container.get("restartCount") instanceof Number n) {
          total += n.longValue();
        }
      }
    }
    return total;
  }

  private static List<Map<String, Object>> containerStatuses(Map<String, Object> status) {
    java.util.ArrayList<Map<String, Object>> all = new java.util.ArrayList<>();
    for (String key : List.of("initContainerStatuses", "containerStatuses")) {
      list(status.get(key)).forEach(c -> all.add(map(c)));
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }
}
