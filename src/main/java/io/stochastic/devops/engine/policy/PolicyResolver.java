package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.check.CheckCatalog;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.check.CheckDefinitionParser;
import io.stochastic.devops.engine.check.CompiledCheck;
import io.stochastic.devops.engine.remediation.PatchTemplate;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.DevOpsPolicySpec;
import io.stochastic.devops.v1.devopspolicyspec.CustomChecks;
import io.stochastic.devops.v1.devopspolicyspec.Exemptions;
import io.stochastic.devops.v1.devopspolicyspec.WorkloadKinds;
import io.stochastic.devops.engine.workload.DeclaredWorkloadKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resolves a DevOpsPolicy into the {@link EffectivePolicy} workloads are judged against:
 *
 * <ol>
 *   <li>every catalog check at its default severity;
 *   <li>the bundle's settings (a bundle is a DevOpsPolicy: its toggles and overrides);
 *   <li>the policy's toggles, then its {@code severityOverrides} ({@code off} disables);
 *   <li>check parameters: each check's defaults, then per layer (bundle, then policy) the
 *       numeric toggles and then {@code spec.checkParameters}, so a policy's explicit parameter
 *       wins over a toggle of the same layer and every policy setting over the bundle's;
 *   <li>custom checks of bundle and policy, compiled once per definition and cached;
 *   <li>exemptions and remediation settings of bundle and policy together.
 * </ol>
 * Every entry point (offline audit, cluster audit, operator, webhook) resolves through here, so
 * a workload gets the same verdict wherever it is judged.
 */
public final class PolicyResolver {
  /** The key of {@code spec.remediation} that lists the risky fixes a policy allows. */
  public static final String ALLOW_RISKY_FIXES = "allowRiskyFixes";
  private final CheckCatalog catalog;
  private final BundleRepository bundles;
  private final Map<CheckDefinition, CompiledCheck> customChecks = new ConcurrentHashMap<>();

  public PolicyResolver(CheckCatalog catalog, BundleRepository bundles) {
    this.catalog = catalog;
    this.bundles = bundles;
  }

  public CheckCatalog catalog() {
    return catalog;
  }

  public BundleRepository bundles() {
    return bundles;
  }

  /** The policy for namespaces without a DevOpsPolicy: a built-in bundle as it is. */
  public EffectivePolicy bundle(String name) {
    return resolve(bundles.get(name), "bundle " + name);
  }

  /** Resolves a policy; {@code source} names it in messages (file or namespace/name). */
  public EffectivePolicy resolve(DevOpsPolicy policy, String source) {
    DevOpsPolicySpec spec = policy.getSpec() == null ? new DevOpsPolicySpec() : policy.getSpec();
    String bundleName = spec.getBundle() == null
        ? BundleRepository.DEFAULT_BUNDLE : spec.getBundle().getValue();
    DevOpsPolicySpec bundleSpec = Optional.ofNullable(bundles.get(bundleName).getSpec())
        .orElseGet(DevOpsPolicySpec::new);

    List<String> warnings = new ArrayList<>();
    Map<String, CheckDefinition> definitions = new TreeMap<>();
    Map<String, Severity> severities = new TreeMap<>();
    for (CheckDefinition d : catalog.definitions()) {
      definitions.put(d.id(), d);
      severities.put(d.id(), d.severity());
    }
    Map<String, Map<String, Object>> parameters = new TreeMap<>();
    Map<String, CompiledCheck> custom = new LinkedHashMap<>();
    for (DevOpsPolicySpec layer : List.of(bundleSpec, spec)) {
      String layerSource = layer == bundleSpec ? "bundle " + bundleName : source;
      addCustomChecks(layerSource, layer, definitions, severities, custom);
      applyToggles(layer, definitions, severities, parameters);
      applyCheckParameters(layerSource, layer, definitions, parameters);
      applyOverrides(layerSource, layer, severities, warnings);
    }

    Map<String, Object> remediation = deepMerge(PolicyDocuments.toTree(bundleSpec.getRemediation()),
        PolicyDocuments.toTree(spec.getRemediation()));
    catalog.precompile(severities.entrySet().stream()
        .filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList());
    List<ActiveCheck> active = new ArrayList<>();
    severities.forEach((id, severity) -> {
      if (severity == null) {
        return;
      }
      CompiledCheck compiled = custom.containsKey(id) ? custom.get(id) : catalog.compiled(id);
      CheckDefinition definition = compiled.definition();
      active.add(new ActiveCheck(compiled, severity, params(definition, parameters.getOrDefault(id, Map.of())),
          remediable(definition, remediation)));
    });

    List<Exemption> exemptions = new ArrayList<>();
    exemptions.addAll(exemptions(bundleSpec));
    exemptions.addAll(exemptions(spec));

    boolean enforce = spec.getEnforcementMode() == DevOpsPolicySpec.EnforcementMode.ENFORCE;
    Severity denySeverity = spec.getAdmission() != null
        && spec.getAdmission().getDenySeverity() != null
        ? Severity.parse(spec.getAdmission().getDenySeverity().getValue())
        : Severity.HIGH;
    List<DeclaredWorkloadKind> kinds = new ArrayList<>();
    kinds.addAll(workloadKinds(bundleSpec, "bundle " + bundleName));
    kinds.addAll(workloadKinds(spec, source));
    return new EffectivePolicy(source, bundleName, enforce, denySeverity, List.copyOf(active),
        List.copyOf(exemptions), remediation, List.copyOf(warnings),
        io.stochastic.devops.engine.workload.WorkloadKinds.of(kinds));
  }

  /**
   * {@code policy} with the checks of {@code enable} on and those of {@code disable} off, over
   * whatever the policy says: the command line's {@code --enable}/{@code --disable}. A check
   * turned on that the policy leaves off runs at its default severity and parameters; one the
   * policy already runs keeps the policy's. Ids must be known (the caller checks them).
   */
  public EffectivePolicy withToggles(EffectivePolicy policy, Collection<String> enable,
      Collection<String> disable) {
    if (enable.isEmpty() && disable.isEmpty()) {
      return policy;
    }
    Map<String, ActiveCheck> active = new TreeMap<>();
    policy.checks().forEach(c -> active.put(c.id(), c));
    List<String> added = enable.stream().filter(id -> !active.containsKey(id)).toList();
    catalog.precompile(added);
    for (String id : added) {
      CompiledCheck compiled = catalog.compiled(id);
      CheckDefinition definition = compiled.definition();
      active.put(id, new ActiveCheck(compiled, definition.severity(),
          params(definition, Map.of()), remediable(definition, policy.remediation())));
    }
    disable.forEach(active::remove);
    return new EffectivePolicy(policy.name(), policy.bundle(), policy.enforce(),
        policy.denySeverity(), List.copyOf(active.values()), policy.exemptions(),
        policy.remediation(), policy.warnings(), policy.workloadKinds());
  }

  /**
   * The custom workload kinds a policy declares ({@code spec.workloadKinds}).
   *
   * @throws EngineException naming the policy when a declaration is unusable
   */
  public static List<DeclaredWorkloadKind> workloadKinds(DevOpsPolicySpec spec, String source) {
    if (spec.getWorkloadKinds() == null) {
      return List.of();
    }
    List<DeclaredWorkloadKind> kinds = new ArrayList<>();
    for (WorkloadKinds k : spec.getWorkloadKinds()) {
      try {
        kinds.add(new DeclaredWorkloadKind(k.getGroup(), k.getKind(), k.getPodTemplatePath()));
      } catch (IllegalArgumentException e) {
        throw new EngineException(source + ": spec.workloadKinds: " + e.getMessage());
      }
    }
    return kinds;
  }

  private void addCustomChecks(String source, DevOpsPolicySpec spec,
      Map<String, CheckDefinition> definitions, Map<String, Severity> severities,
      Map<String, CompiledCheck> custom) {
    if (spec.getCustomChecks() == null) {
      return;
    }
    for (CustomChecks c : spec.getCustomChecks()) {
      CheckDefinition definition = customCheckDefinition(source, c);
      if (catalog.contains(definition.id())) {
        throw new EngineException(source + ": custom check " + definition.id()
            + " has the id of a built-in check");
      }
      // A policy may redefine a custom check its bundle declares; the later layer wins.
      custom.put(definition.id(), compileCustomCheck(definition, source));
      definitions.put(definition.id(), definition);
      severities.put(definition.id(), definition.severity());
    }
  }

  /**
   * A policy's custom check as a check definition, with the defaults the CRD documents (target
   * workload, category reliability, severity medium).
   *
   * @throws EngineException when the definition is unusable
   */
  public static CheckDefinition customCheckDefinition(String source, CustomChecks c) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", c.getId());
    map.put("target", c.getTarget() == null ? "workload" : c.getTarget().getValue());
    map.put("category", c.getCategory() == null ? "reliability" : c.getCategory().getValue());
    map.put("severity", c.getSeverity() == null ? "medium" : c.getSeverity().getValue());
    map.put("expression", c.getExpression());
    if (c.getKinds() != null && !c.getKinds().isEmpty()) {
      map.put("kinds", c.getKinds());
    }
    if (c.getMessage() != null) {
      map.put("message", c.getMessage());
    }
    if (c.getDescription() != null) {
      map.put("description", c.getDescription());
    }
    return CheckDefinitionParser.parse(source, map, true);
  }

  /**
   * A custom check compiled once per definition, whoever asks first (lint or resolution).
   *
   * @throws EngineException when its CEL does not compile
   */
  public CompiledCheck compileCustomCheck(CheckDefinition definition, String source) {
    return customChecks.computeIfAbsent(definition,
        d -> CompiledCheck.compile(d, catalog.environment(), source));
  }

  private static void applyToggles(DevOpsPolicySpec spec, Map<String, CheckDefinition> definitions,
      Map<String, Severity> severities, Map<String, Map<String, Object>> parameters) {
    for (SeedToggle toggle : SeedToggle.values()) {
      Object value = toggle.valueIn(spec);
      if (value == null) {
        continue;
      }
      boolean on = !(value instanceof Boolean b) || b;
      if (value instanceof Number n) {
        // The threshold goes to every check with a parameter of the toggle's name.
        definitions.values().stream().filter(d -> d.params().containsKey(toggle.field()))
            .forEach(d -> parameters.computeIfAbsent(d.id(), k -> new LinkedHashMap<>())
                .put(toggle.field(), n.longValue()));
      }
      for (String id : toggle.checks()) {
        CheckDefinition definition = definitions.get(id);
        if (definition == null) {
          continue;
        }
        if (!on) {
          severities.put(id, null);
        } else if (severities.get(id) == null) {
          severities.put(id, definition.severity());
        }
      }
    }
  }

  /**
   * {@code spec.checkParameters} of one layer over what earlier layers and the toggles set.
   *
   * @throws EngineException naming the source, check and parameter when the check is unknown,
   *     does not declare the parameter, or its default is of another type than the value
   */
  private static void applyCheckParameters(String source, DevOpsPolicySpec spec,
      Map<String, CheckDefinition> definitions, Map<String, Map<String, Object>> parameters) {
    if (spec.getCheckParameters() == null) {
      return;
    }
    new TreeMap<>(PolicyDocuments.toTree(spec.getCheckParameters())).forEach((id, values) -> {
      String at = source + ": spec.checkParameters." + id;
      CheckDefinition definition = definitions.get(id);
      if (definition == null) {
        throw new EngineException(at + ": unknown check id \"" + id
            + "\" (see 'kube-devops checks list')");
      }
      if (!(values instanceof Map<?, ?> map)) {
        throw new EngineException(at + ": must be an object of parameter values");
      }
      new TreeMap<>(map).forEach((name, value) -> {
        String problem = CheckParameterRules.problem(id, definition.params(),
            String.valueOf(name), value);
        if (problem != null) {
          throw new EngineException(at + "." + name + ": " + problem);
        }
        parameters.computeIfAbsent(id, k -> new LinkedHashMap<>())
            .put(String.valueOf(name), CheckParameterRules.normalise(value));
      });
    });
  }

  private void applyOverrides(String source, DevOpsPolicySpec spec,
      Map<String, Severity> severities, List<String> warnings) {
    if (spec.getSeverityOverrides() == null) {
      return;
    }
    spec.getSeverityOverrides().forEach((id, value) -> {
      if (!severities.containsKey(id)) {
        warnings.add(source + ": severityOverrides names unknown check '" + id + "'");
        return;
      }
      severities.put(id, Severity.parseOrOff(value.getValue()).orElse(null));
    });
  }

  /** The check's declared parameters, with the values the policy layers set ({@code set}). */
  private static Map<String, Object> params(CheckDefinition definition,
      Map<String, Object> set) {
    if (definition.params().isEmpty()) {
      return Map.of();
    }
    Map<String, Object> params = new LinkedHashMap<>(definition.params());
    params.putAll(set);
    return Map.copyOf(params);
  }

  private static List<Exemption> exemptions(DevOpsPolicySpec spec) {
    if (spec.getExemptions() == null) {
      return List.of();
    }
    List<Exemption> result = new ArrayList<>();
    for (Exemptions e : spec.getExemptions()) {
      List<Pattern> names = e.getNames() == null ? List.of()
          : e.getNames().stream().map(Exemption::glob).toList();
      Map<String, Object> selector = e.getSelector() == null ? null
          : PolicyDocuments.toTree(e.getSelector());
      result.add(new Exemption(e.getChecks() == null ? Set.of() : Set.copyOf(e.getChecks()),
          names, selector));
    }
    return result;
  }

  /**
   * Whether kube-devops may fix the check under these remediation settings: it has a patch, the
   * settings give every value the patch names, and a risky fix is one the policy allows.
   */
  static boolean remediable(CheckDefinition definition, Map<String, Object> remediation) {
    return definition.remediable()
        && PatchTemplate.resolvable(definition.patch(), remediation)
        && (!definition.riskyFix() || allowedRiskyFixes(remediation).contains(definition.id()));
  }

  /** {@code spec.remediation.allowRiskyFixes}: the check ids whose risky fix may be applied. */
  public static Set<String> allowedRiskyFixes(Map<String, Object> remediation) {
    return remediation.get(ALLOW_RISKY_FIXES) instanceof List<?> ids
        ? ids.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet())
        : Set.of();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    over.forEach((key, value) -> {
      Object existing = merged.get(key);
      if (existing instanceof Map && value instanceof Map) {
        merged.put(key, deepMerge((Map<String, Object>) existing, (Map<String, Object>) value));
      } else {
        merged.put(key, value);
      }
    });
    return merged;
  }
}
