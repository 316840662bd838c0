package io.stochastic.devops.engine.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A check's message template parsed once into text and {@code ${name}} references, so that
 * rendering a failure is a few appends: through commons-text's {@code StringSubstitutor}, which
 * scans the template again for every failure, rendering was two fifths of judging a namespace
 * (the operator judges the same pods on every reconcile). Only plain templates are parsed; one
 * with anything {@code StringSubstitutor} reads specially ({@code $$} escapes, {@code :-}
 * defaults, nested or unclosed references) is left to it ({@link #of} is null), so a message
 * reads the same either way. An unknown name stays {@code ${name}}, as there.
 */
final class MessageTemplate {
  /** Templates come from the catalog and the policies' custom checks; a bound all the same. */
  private static final int MAX_CACHED = 4096;
  private static final MessageTemplate NOT_PLAIN = new MessageTemplate(new String[0],
      new String[0]);
  private static final Map<String, MessageTemplate> PARSED = new ConcurrentHashMap<>();

  /** texts[i] comes before names[i]; the last text ends the message. */
  private final String[] texts;
  private final String[] names;

  private MessageTemplate(String[] texts, String[] names) {
    this.texts = texts;
    this.names = names;
  }

  /** The parsed template, or null when {@code StringSubstitutor} must render it. */
  static MessageTemplate of(String template) {
    MessageTemplate parsed = PARSED.get(template);
    if (parsed == null) {
      if (PARSED.size() >= MAX_CACHED) {
        PARSED.clear();
      }
      parsed = parse(template);
      PARSED.put(template, parsed);
    }
    return parsed == NOT_PLAIN ? null : parsed;
  }

  private static MessageTemplate parse(String template) {
    if (template.contains("$$")) {
      return NOT_PLAIN;
    }
    List<String> texts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int from = 0;
    int start;
    while ((start = template.indexOf("${", from)) >= 0) {
      int end = template.indexOf('}', start + 2);
      if (end < 0) {
        return NOT_PLAIN;
      }
      String name = template.substring(start + 2, end);
      if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c)
          || c == '_' || c == '.' || c == '-')) {
        return NOT_PLAIN;
      }
      texts.add(template.substring(from, start));
      names.add(name);
      from = end + 1;
    }
    texts.add(template.substring(from));
    return new MessageTemplate(texts.toArray(String[]::new), names.toArray(String[]::new));
  }

  /** The message, each name replaced by its value ({@code lookup}), or kept when it has none. */
  String render(UnaryOperator<String> lookup) {
    if (names.length == 0) {
      return texts[0];
    }
    StringBuilder out = new StringBuilder(64);
    for (int i = 0; i < names.length; i++) {
      out.append(texts[i]);
      String value = lookup.apply(names[i]);
      if (value == null) {
        out.append("${").append(names[i]).append('}');
      } else {
        out.append(value);
      }
    }
    return out.append(texts[names.length]).toString();
  }
}
