package io.stochastic.devops.kube;

/**
 * One object applied with server-side apply (or its server-side dry run).
 *
 * @param type the resource type as kubectl prints it ({@code devopspolicy.devops.stochastic.io})
 * @param namespace the object's namespace, null for a cluster-scoped one
 * @param source where the desired object came from ({@code file#doc}, {@code bundle baseline})
 * @param diff the unified diff from the live object to the result, both without server-populated
 *     fields; empty when unchanged
 * @param dryRun whether the server only said what it would do
 * @param uid the object's uid as the server answered (what an inventory records, so that an
 *     object deleted and recreated by someone else is told apart); null for a dry-run create
 */
public record ApplyResult(String type, String namespace, String name, String source,
    ApplyAction action, String diff, boolean dryRun, String uid) {

  /** A line as kubectl prints it: {@code devopspolicy.devops.stochastic.io/shop created}. */
  public String describe() {
    String where = namespace == null ? "" : "namespace " + namespace;
    String note = dryRun ? (where.isEmpty() ? "server dry run" : where + ", server dry run")
        : where;
    return type + "/" + name + " " + action.id() + (note.isEmpty() ? "" : " (" + note + ")");
  }
}
