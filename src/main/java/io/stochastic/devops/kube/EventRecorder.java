package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events (core/v1) about objects, as {@code kubectl describe} and
 * {@code kubectl get events} show them, for a component ({@code kube-devops-sync}, ...).
 *
 * <p>Events are aggregated the way client-go's recorder does it: the same reason and message about
 * the same object within {@link #AGGREGATION_WINDOW} bumps {@code count} and
 * {@code lastTimestamp} of the Event already recorded instead of creating another, so a condition
 * seen every round is one Event, not one per round.
 *
 * <p>An Event is a side note: one that cannot be recorded (no RBAC for Events, the API server
 * busy) is logged once and never fails the work it describes. Counting a repeat needs
 * {@code patch} on Events; without it a repeat is a new Event.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  /** Repeats within this window are counted on one Event (client-go uses 10 minutes). */
  static final Duration AGGREGATION_WINDOW = java.time.Duration.ofMinutes(10);
  /** How many distinct Events are remembered for aggregation; the oldest are forgotten. */
  private static final int REMEMBERED = 4096;

  /**
   * The API server's MicroTime: always six fractional digits (ISO_INSTANT drops them on a whole
   * second, and the server refuses the Event).
   */
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Normal: things working as intended; Warning: something a person may want to look at. */
  public enum Type { Normal, Warning }

  private record Recorded(String namespace, String name, int count, Instant first) {}

  private final ClusterSession cluster;
  private final String component;
  private final String instance;
  private final Clock clock;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final Map<String, Recorded> recent = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
      return size() > REMEMBERED;
    }
  };

  /**
   * @param component the reporting component ({@code kube-devops-sync})
   * @param instance this replica (the pod name), or null
   */
  public EventRecorder(ClusterSession cluster, String component, String instance, Clock clock) {
    this.cluster = cluster;
    this.component = component;
    this.instance = instance == null ? component : instance;
    this.clock = clock;
  }

  /**
   * Records an Event about {@code object} (it needs a namespace for a namespaced kind; the uid
   * ties the Event to this incarnation of the object).
   *
   * @param reason a reason in UpperCamelCase, from the component's enum of reasons
   * @param action what the component did ({@code Apply}, {@code Prune}, ...)
   */
  public synchronized void record(HasMetadata object, Type type, Enum<?> reason, String action,
      String message) {
    ObjectReference about = new ObjectReferenceBuilder()
        .withApiVersion(object.getApiVersion())
        .withKind(object.getKind())
        .withNamespace(object.getMetadata().getNamespace())
        .withName(object.getMetadata().getName())
        .withUid(object.getMetadata().getUid())
        .withResourceVersion(object.getMetadata().getResourceVersion())
        .build();
    // Events of cluster-scoped objects go to "default", as client-go puts them
    String namespace = about.getNamespace() == null ? "default" : about.getNamespace();
    Instant exact = clock.instant();
    Instant now = exact.truncatedTo(ChronoUnit.SECONDS);
    String key = about.getKind() + "/" + namespace + "/" + about.getName() + "/"
        + about.getUid() + "/" + type + "/" + reason.name() + "/" + message;
    Recorded previous = recent.get(key);
    try {
      if (previous != null && previous.first().plus(AGGREGATION_WINDOW).isAfter(now)
          && bump(previous, now)) {
        recent.put(key, new Recorded(previous.namespace(), previous.name(),
            previous.count() + 1, previous.first()));
        return;
      }
      Event event = new EventBuilder()
          .withNewMetadata()
          // client-go's naming: the object's name and the time in hex nanoseconds
          .withName(about.getName() + "." + Long.toHexString(
              exact.getEpochSecond() * 1_000_000_000L + exact.getNano()))
          .withNamespace(namespace)
          .endMetadata()
          .withInvolvedObject(about)
          .withType(type.name())
          .withReason(reason.name())
          .withAction(action)
          .withMessage(message)
          .withCount(1)
          .withFirstTimestamp(timestamp(now))
          .withLastTimestamp(timestamp(now))
          .withEventTime(new MicroTime(MICRO_TIME.format(exact)))
          .withNewSource().withComponent(component).endSource()
          .withReportingComponent(component)
          .withReportingInstance(instance)
          .build();
      Event created = cluster.client().v1().events().inNamespace(namespace).resource(event)
          .create();
      recent.put(key, new Recorded(namespace, created.getMetadata().getName(), 1, now));
    } catch (RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        LOG.warn("cannot record Events in namespace {} ({}): {} (further failures are not "
            + "logged; the work goes on)", namespace, reason.name(), e.getMessage());
      }
    }
  }

  /** Counts a repeat on the recorded Event; false when that Event is gone (expired, deleted). */
  private boolean bump(Recorded previous, Instant now) {
    String patch = "{\"count\":" + (previous.count() + 1) + ",\"lastTimestamp\":\""
        + timestamp(now) + "\"}";
    try {
      cluster.client().v1().events().inNamespace(previous.namespace())
          .withName(previous.name()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return true;
    } catch (KubernetesClientException e) {
      // gone (expired after an hour), or no patch permission (the sync is granted create
      // only): record a new Event instead of counting on this one
      if (e.getCode() == 404 || e.getCode() == 403) {
        return false;
      }
      throw e;
    }
  }

  private static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
