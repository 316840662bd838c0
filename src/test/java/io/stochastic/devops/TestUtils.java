package io.stochastic.devops;

import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.check.CelEnvironment;
import io.stochastic.devops.engine.check.CheckCatalog;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import io.stochastic.devops.engine.policy.BundleRepository;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.policy.PolicyResolver;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/** Builders shared by the tests: one engine stack on a fixed clock, fixture readers. */
public final class TestUtils {
  /** The instant every engine built here sees as "now". */
  public static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static final CelEnvironment ENVIRONMENT = new CelEnvironment();
  private static final CheckCatalog CATALOG = CheckCatalog.builtIn(ENVIRONMENT);
  private static final BundleRepository BUNDLES = BundleRepository.builtIn();
  private static final PolicyResolver RESOLVER = new PolicyResolver(CATALOG, BUNDLES);

  private TestUtils() {}

  public static CelEnvironment celEnvironment() {
    return ENVIRONMENT;
  }

  public static CheckCatalog catalog() {
    return CATALOG;
  }

  public static BundleRepository bundles() {
    return BUNDLES;
  }

  public static PolicyResolver resolver() {
    return RESOLVER;
  }

  /** An engine with the default system namespaces, on the fixed clock. */
  public static Engine engine() {
    return new Engine(EngineSettings.DEFAULT, CLOCK);
  }

  /** An engine that audits every namespace (fixtures may use kube-system). */
  public static Engine engineWithoutSystemNamespaces() {
    return new Engine(new EngineSettings(Set.of()), CLOCK);
  }

  public static EffectivePolicy bundle(String name) {
    return RESOLVER.bundle(name);
  }

  public static DevOpsPolicy policy(String yaml) {
    return PolicyDocuments.fromYaml("test policy", yaml);
  }

  public static EffectivePolicy resolve(String policyYaml) {
    return RESOLVER.resolve(policy(policyYaml), "test policy");
  }

  public static ManifestBatch read(Path... paths) {
    ManifestReader reader = new ManifestReader(ReadLimits.DEFAULT, "default");
    ManifestBatch batch = new ManifestBatch();
    for (Path path : paths) {
      reader.readPath(path, batch);
    }
    return batch;
  }

  public static ManifestBatch readYaml(String name, String yaml) {
    ManifestReader reader = new ManifestReader(ReadLimits.DEFAULT, "default");
    ManifestBatch batch = new ManifestBatch();
    reader.readStream(name, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
        false, batch);
    return batch;
  }

  /** What a CLI run printed and returned. */
  public record CliRun(int exitCode, String out, String err) {}

  /** Runs the CLI in-process on the fixed clock, with {@code stdin}, not on a terminal. */
  public static CliRun cliWithStdin(String stdin, String... args) {
    return cliAt(CLOCK, stdin, args);
  }

  /** Runs the CLI in-process on {@code clock}, with {@code stdin}, not on a terminal. */
  public static CliRun cliAt(Clock clock, String stdin, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    io.stochastic.devops.cli.Application application = new io.stochastic.devops.cli.Application(
        clock, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new io.stochastic.devops.cli.Terminal(false, java.util.Map.of()));
    int code = io.stochastic.devops.cli.Main.run(application, new java.io.PrintWriter(out),
        new java.io.PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  public static CliRun cli(String... args) {
    return cliWithStdin("", args);
  }

  /** The one object of a YAML text. */
  public static KubeObject object(String yaml) {
    List<KubeObject> objects = readYaml("test.yaml", yaml).objects();
    if (objects.size() != 1) {
      throw new IllegalArgumentException("expected one object, got " + objects.size());
    }
    return objects.get(0);
  }
}
