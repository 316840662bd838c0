package io.stochastic.devops.engine.input.schema;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One compiled node of a Kubernetes structural schema (the OpenAPI v3 subset the API server and
 * CRDs use). Built once by {@link SchemaCompiler}, then only read: definitions refer to each
 * other by instance, cycles included ({@code JSONSchemaProps}).
 */
final class SchemaNode {
  /** The JSON types a value may have; empty: any. */
  enum Type {
    OBJECT("an object"), ARRAY("a list"), STRING("a string"), INTEGER("an integer"),
    NUMBER("a number"), BOOLEAN("a boolean");

    final String described;

    Type(String described) {
      this.described = described;
    }
  }

  /** The definition's type name ({@code PodSecurityContext}); null for inline schemas. */
  String title;
  EnumSet<Type> types = EnumSet.noneOf(Type.class);
  /** Declared fields; null when the schema declares none. */
  Map<String, SchemaNode> properties;
  /** The schema of undeclared fields (a map's values); null when they are not allowed. */
  SchemaNode additional;
  /** Any undeclared field is allowed: preserve-unknown-fields, a free-form object. */
  boolean anyFields;
  /** An embedded object: apiVersion, kind and metadata are allowed besides its properties. */
  boolean embeddedResource;
  SchemaNode items;
  List<String> required = List.of();
  /** Allowed values; null for any. */
  Set<Object> allowed;
  String format;
  Number minimum;
  Number maximum;
  int minLength = -1;
  int maxLength = -1;
  int minItems = -1;
  int maxItems = -1;
  int maxProperties = -1;
  com.google.re2j.Pattern pattern;

  /** A node that accepts every value: unknown schemas, {@code JSON} and the like. */
  static SchemaNode any() {
    SchemaNode node = new SchemaNode();
    node.anyFields = true;
    return node;
  }
}
