package io.stochastic.devops.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Creates commands with constructor injection: a command with a constructor taking the
 * {@link Application} gets it; anything else is built by picocli's default factory.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final Application application;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(Application application) {
    this.application = application;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    try {
      Constructor<K> constructor = type.getDeclaredConstructor(Application.class);
      constructor.setAccessible(true);
      return constructor.newInstance(application);
    } catch (NoSuchMethodException e) {
      return fallback.create(type);
    }
  }
}
