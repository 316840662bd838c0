package io.stochastic.devops.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.Writer;

/** The report as JSON or YAML: the contract of DESIGN.md §3, serialised as is. */
final class StructuredReportRenderer implements ReportRenderer {
  private final ObjectMapper mapper;

  private StructuredReportRenderer(ObjectMapper mapper) {
    // The caller owns the stream: Jackson must not close it.
    mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    this.mapper = mapper;
  }

  static StructuredReportRenderer json() {
    return new StructuredReportRenderer(new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT));
  }

  static StructuredReportRenderer yaml() {
    return new StructuredReportRenderer(new ObjectMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .build()));
  }

  @Override
  public void render(ReportContext context, Writer out) throws IOException {
    mapper.writeValue(out, context.report());
    if (!(mapper.getFactory() instanceof YAMLFactory)) {
      out.write(System.lineSeparator());
    }
  }
}
