package io.stochastic.devops.engine.remediation.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.Judgement;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyResolver;
import io.stochastic.devops.engine.remediation.PatchTemplate;
import io.stochastic.devops.engine.remediation.RemediationPlan;
import io.stochastic.devops.engine.remediation.Remediator;
import io.stochastic.devops.engine.result.CheckResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code kube-devops fix} on one file: judges each document as the engine does, plans its fix
 * with the {@link Remediator} the operator and the webhook use, and makes each check's patch an
 * edit of the text ({@link YamlTextEditor}). After each check's edit the text is read again and
 * must give exactly the object the patch gives; otherwise that fix is skipped and listed, never
 * applied approximately.
 */
public final class ManifestFixer {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern SETTING = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)\\}");
  private final Engine engine;
  private final EffectivePolicy policy;
  private final Set<String> onlyChecks;
  private final ObjectSet inputs;
  private final Map<String, KubeObject> bySource = new HashMap<>();
  private final Remediator remediator = new Remediator();

  /**
   * @param onlyChecks the checks to fix, or empty for every remediable one
   * @param inputs every file's objects as the audit reads them (numbers as longs, merge keys
   *     merged, Kubernetes's YAML scalars), sourced {@code file#index}: the objects to fix, and
   *     the other objects for the checks that look at them (an autoscaler in another file means
   *     a Deployment's replicas are not to be set)
   */
  public ManifestFixer(Engine engine, EffectivePolicy policy, Set<String> onlyChecks,
      ObjectSet inputs) {
    this.engine = engine;
    this.policy = policy;
    this.onlyChecks = Set.copyOf(onlyChecks);
    this.inputs = inputs;
    // A List's items are not fixed: their sources name the item, not a document.
    inputs.objects().forEach(o -> bySource.put(o.source(), o));
  }

  /** Fixes {@code original}, the text of {@code file} as {@code inputs} read it. */
  public ManifestFix fix(String file, String original) throws UnparsableManifest {
    String text = original;
    int documents = documents(text).size();
    List<String> fixed = new ArrayList<>();
    List<SkippedFix> skipped = new ArrayList<>();
    for (int document = 0; document < documents; document++) {
      // Edits of earlier documents leave this one's content as it was read.
      KubeObject object = bySource.get(file + "#" + document);
      if (object == null) {
        continue;
      }
      String name = object.kind() + "/" + object.name();
      Judgement judgement = engine.judge(object, inputs, policy);
      if (judgement.outcome() != Judgement.Outcome.AUDITED) {
        continue;
      }
      List<CheckResult> failed = new ArrayList<>();
      for (CheckResult result : judgement.result().results()) {
        if (result.passed() || !(onlyChecks.isEmpty() || onlyChecks.contains(result.check()))) {
          continue;
        }
        Optional<CheckDefinition> definition = policy.check(result.check())
            .map(ActiveCheck::check).map(c -> c.definition());
        if (definition.isEmpty() || !definition.get().remediable()) {
          continue;
        }
        if (result.remediable()) {
          failed.add(result);
        } else if (skipped.stream().noneMatch(s -> s.object().equals(name)
            && s.check().equals(result.check()))) {
          skipped.add(new SkippedFix(name, result.check(), result.error()
              ? "the check could not be evaluated here: " + result.message()
              : whyNot(definition.get())));
        }
      }
      RemediationPlan plan = remediator.plan(object, failed, policy);
      Map<String, List<JsonNode>> byCheck = new LinkedHashMap<>();
      for (int i = 0; i < plan.patch().size(); i++) {
        byCheck.computeIfAbsent(plan.operationChecks().get(i), k -> new ArrayList<>())
            .add(plan.patch().get(i));
      }
      for (Map.Entry<String, List<JsonNode>> check : byCheck.entrySet()) {
        try {
          text = edit(text, document, check.getValue());
          fixed.add(name + ": " + check.getKey());
        } catch (YamlTextEditor.EditRefused e) {
          skipped.add(new SkippedFix(name, check.getKey(), e.getMessage()));
        } catch (JsonPatchException | IllegalArgumentException e) {
          // The plan made this fix after an earlier one of the same object, which was skipped.
          skipped.add(new SkippedFix(name, check.getKey(),
              "needs a fix skipped above (" + e.getMessage() + ")"));
        }
      }
    }
    return new ManifestFix(original, text, fixed, skipped);
  }

  /** The text with one check's operations applied, read back and compared with the patch's. */
  private static String edit(String text, int document, List<JsonNode> operations)
      throws UnparsableManifest {
    JsonNode before = MAPPER.valueToTree(documents(text).get(document));
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    operations.forEach(patch::add);
    JsonNode expected = JsonPatch.apply(patch, before);
    String edited = text;
    for (ObjectNode op : coalesced(operations)) {
      edited = YamlTextEditor.apply(edited, document, op.get("op").asText(),
          op.get("path").asText(), op.get("value"));
    }
    List<Object> after;
    try {
      after = documents(edited);
    } catch (UnparsableManifest e) {
      throw new YamlTextEditor.EditRefused("the edit would not be valid YAML here");
    }
    if (!normalized(MAPPER.valueToTree(after.get(document))).equals(normalized(expected))) {
      throw new YamlTextEditor.EditRefused("the text cannot be edited to exactly this fix");
    }
    return edited;
  }

  /**
   * The tree as JSON reads it back: a policy's {@code 8080} may be a long where the text's is an
   * int, and Jackson's nodes of the two are not equal.
   */
  private static JsonNode normalized(JsonNode tree) {
    try {
      return MAPPER.readTree(tree.toString());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The operations with each {@code add} of an empty object merged with the adds under it that
   * follow: the new mapping is written once, in block style, rather than as {@code {}} edited.
   */
  private static List<ObjectNode> coalesced(List<JsonNode> operations) {
    List<ObjectNode> result = new ArrayList<>();
    for (JsonNode raw : operations) {
      ObjectNode op = (ObjectNode) raw.deepCopy();
      String path = op.get("path").asText();
      ObjectNode container = null;
      String containerPath = null;
      for (ObjectNode earlier : result) {
        String earlierPath = earlier.get("path").asText();
        if ("add".equals(earlier.get("op").asText()) && earlier.get("value").isObject()
            && path.startsWith(earlierPath + "/")) {
          container = (ObjectNode) earlier.get("value");
          containerPath = earlierPath;
        }
      }
      if (container != null && "add".equals(op.get("op").asText())) {
        String[] rest = path.substring(containerPath.length() + 1).split("/");
        ObjectNode target = container;
        for (int i = 0; i < rest.length - 1; i++) {
          target = target.has(rest[i]) && target.get(rest[i]).isObject()
              ? (ObjectNode) target.get(rest[i]) : target.putObject(rest[i]);
        }
        target.set(rest[rest.length - 1].replace("~1", "/").replace("~0", "~"),
            op.get("value"));
      } else {
        result.add(op);
      }
    }
    return result;
  }

  private String whyNot(CheckDefinition definition) {
    if (definition.riskyFix()) {
      if (!PolicyResolver.allowedRiskyFixes(policy.remediation()).contains(definition.id())) {
        return "a risky fix: only when the policy lists it in spec.remediation.allowRiskyFixes";
      }
    }
    Set<String> settings = new TreeSet<>();
    Matcher m = SETTING.matcher(definition.patch().toString());
    while (m.find()) {
      settings.add("spec.remediation." + m.group(1));
    }
    if (PatchTemplate.resolvable(definition.patch(), policy.remediation())) {
      return "the engine does not remediate this finding (see kube-devops checks show "
          + definition.id() + ")";
    }
    return "needs a value the policy does not give"
        + (settings.isEmpty() ? "" : " (" + String.join(", ", settings) + ")");
  }

  private static List<Object> documents(String text) throws UnparsableManifest {
    try {
      List<Object> documents = new ArrayList<>();
      new Load(LoadSettings.builder().build()).loadAllFromString(text)
          .forEach(documents::add);
      if (YamlTextEditor.compose(text).size() != documents.size()) {
        throw new UnparsableManifest("documents could not be told apart", null);
      }
      return documents;
    } catch (YamlEngineException e) {
      throw new UnparsableManifest(oneLine(e.getMessage()), e);
    }
  }

  private static String oneLine(String message) {
    return message == null ? "not valid YAML" : message.replaceAll("\\s*\\n\\s*", " ").trim();
  }
}
