package io.stochastic.devops.engine.check;

import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.workload.ContainerType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A check as data: one file under {@code checks/} for a built-in check, or an entry of a policy's
 * {@code spec.customChecks}. See docs/writing-checks.md for the format.
 *
 * @param id lowerCamelCase, named after the problem
 * @param severity the default severity; the policy may override it
 * @param howToFix what a user should change, for {@code checks show} and reports
 * @param message failure message template (${container}, ${image}, ${kind}, ${name},
 *     ${namespace}, ${value}, ${params.NAME})
 * @param when CEL precondition; false means the check does not apply (null: always applies)
 * @param expression CEL predicate, true when the subject passes
 * @param value CEL expression rendered as ${value} in the message (null: none)
 * @param kinds kinds the check applies to (workload kinds, or object kinds for target object);
 *     empty means every workload kind; {@code ["*"]} (target object only) every object read,
 *     whatever its kind, workloads included
 * @param excludeKinds workload kinds it never applies to
 * @param containerTypes container lists a container check looks at
 * @param params parameters the expressions read as {@code params.NAME}, with their defaults
 * @param patch JSON Patch remediation relative to the target; a string value {@code ${path}}
 *     is replaced by the structured value at that path of the policy's remediation settings, and
 *     a path token {@code *} under a list stands for each of its items
 * @param riskyFix the patch can stop a workload from running (a process that needs root, a
 *     capability, a writable root filesystem or the host's network): it is applied only for a
 *     policy that names the check in {@code spec.remediation.allowRiskyFixes}
 * @param custom true for a policy's custom check
 */
public record CheckDefinition(
    String id,
    Category category,
    Target target,
    Severity severity,
    String description,
    String howToFix,
    String message,
    String when,
    String expression,
    String value,
    Set<String> kinds,
    Set<String> excludeKinds,
    Set<ContainerType> containerTypes,
    Map<String, Object> params,
    List<Map<String, Object>> patch,
    List<String> references,
    boolean riskyFix,
    boolean custom) {

  /** The {@code kinds} entry of an object check that judges objects of every kind. */
  public static final String ANY_KIND = "*";

  public boolean remediable() {
    return !patch.isEmpty();
  }

  /** Whether the check judges a workload of this kind (targets container, pod and workload). */
  public boolean appliesToWorkloadKind(String kind) {
    return target != Target.OBJECT
        && (kinds.isEmpty() || kinds.contains(kind))
        && !excludeKinds.contains(kind);
  }

  /** {@code related('Kind')} with a literal kind, in any of the check's expressions. */
  private static final Pattern RELATED_KIND =
      Pattern.compile("related\\(\\s*['\"]([A-Za-z][A-Za-z0-9]*)['\"]\\s*\\)");

  /** The kinds the check's expressions look up with {@code related('Kind')}. */
  public Set<String> relatedKinds() {
    Set<String> found = new TreeSet<>();
    for (String text : new String[] {when, expression, value}) {
      if (text != null) {
        Matcher matcher = RELATED_KIND.matcher(text);
        while (matcher.find()) {
          found.add(matcher.group(1));
        }
      }
    }
    return found;
  }

  /**
   * The kinds of object the check judges or looks up with {@code related(kind)}, besides the
   * workload kinds: what a cluster audit must list for it.
   */
  public Set<String> kindsRead() {
    Set<String> read = new TreeSet<>(relatedKinds());
    if (target == Target.OBJECT) {
      read.addAll(kinds);
      read.remove(ANY_KIND); // judges what is read; asks for nothing more
    }
    return read;
  }

  /** Whether the check judges a non-workload object of this kind (target object). */
  public boolean appliesToObjectKind(String kind) {
    return target == Target.OBJECT && (kinds.contains(kind) || kinds.contains(ANY_KIND));
  }

  /**
   * Whether the check judges objects of every kind ({@code kinds: ["*"]}): workloads too, as
   * objects (their apiVersion, their metadata), besides the checks about their pods.
   */
  public boolean judgesAnyKind() {
    return target == Target.OBJECT && kinds.contains(ANY_KIND);
  }
}
