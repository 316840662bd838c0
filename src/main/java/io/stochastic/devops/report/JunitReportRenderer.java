package io.stochastic.devops.report;

import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.InvalidDocument;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): one
 * {@code <testsuite>} per workload, one {@code <testcase>} per workload × check; a check failed
 * on any container is a {@code <failure>} listing each container's message, one that could not
 * be evaluated an {@code <error>}. Documents {@code --skip-invalid} skipped are one more suite,
 * {@code invalid documents}, with a {@code <skipped>} test case each, so a CI test view shows
 * them.
 */
final class JunitReportRenderer implements ReportRenderer {

  @Override
  public void render(ReportContext context, Writer out) throws IOException {
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      xml.writeStartDocument("UTF-8", "1.0");
      newline(xml, 0);
      List<Suite> suites = new ArrayList<>();
      int tests = 0;
      int failures = 0;
      int errors = 0;
      for (SubjectResult subject : context.result().subjects()) {
        Suite suite = new Suite(subject, cases(subject));
        suites.add(suite);
        tests += suite.cases.size();
        failures += suite.count(false);
        errors += suite.count(true);
      }
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "kube-devops audit (" + context.policyName() + ")");
      int invalid = context.invalid().size();
      xml.writeAttribute("tests", Integer.toString(tests + invalid));
      xml.writeAttribute("failures", Integer.toString(failures));
      xml.writeAttribute("errors", Integer.toString(errors));
      if (invalid > 0) {
        xml.writeAttribute("skipped", Integer.toString(invalid));
      }
      xml.writeAttribute("time", "0");
      for (Suite suite : suites) {
        writeSuite(xml, suite, context.checks());
      }
      if (invalid > 0) {
        writeInvalid(xml, context.invalid());
      }
      newline(xml, 0);
      xml.writeEndElement();
      newline(xml, 0);
      xml.writeEndDocument();
      xml.flush();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
    }
  }

  private record Suite(SubjectResult subject, Map<String, List<CheckResult>> cases) {
    int count(boolean error) {
      int n = 0;
      for (List<CheckResult> results : cases.values()) {
        boolean anyError = results.stream().anyMatch(CheckResult::error);
        boolean anyFailure = results.stream().anyMatch(r -> !r.passed());
        if (error ? anyError : anyFailure && !anyError) {
          n++;
        }
      }
      return n;
    }
  }

  private static Map<String, List<CheckResult>> cases(SubjectResult subject) {
    Map<String, List<CheckResult>> byCheck = new LinkedHashMap<>();
    for (CheckResult r : subject.results()) {
      byCheck.computeIfAbsent(r.check(), k -> new ArrayList<>()).add(r);
    }
    return byCheck;
  }

  private static void writeSuite(XMLStreamWriter xml, Suite suite,
      Map<String, CheckDefinition> checks) throws XMLStreamException {
    KubeObject object = suite.subject.object();
    String name = qualifiedName(object);
    newline(xml, 1);
    xml.writeStartElement("testsuite");
    xml.writeAttribute("name", name);
    xml.writeAttribute("tests", Integer.toString(suite.cases.size()));
    xml.writeAttribute("failures", Integer.toString(suite.count(false)));
    xml.writeAttribute("errors", Integer.toString(suite.count(true)));
    xml.writeAttribute("skipped", "0");
    xml.writeAttribute("time", "0");
    if (object.file() != null) {
      xml.writeAttribute("file", object.file());
    }
    newline(xml, 2);
    xml.writeStartElement("properties");
    property(xml, "score", Integer.toString(suite.subject.score().value()));
    property(xml, "classification", suite.subject.score().classification().name());
    property(xml, "source", String.valueOf(object.source()));
    newline(xml, 2);
    xml.writeEndElement();
    for (Map.Entry<String, List<CheckResult>> c : suite.cases.entrySet()) {
      writeCase(xml, name, object, c.getKey(), c.getValue(), checks.get(c.getKey()));
    }
    newline(xml, 1);
    xml.writeEndElement();
  }

  private static void writeInvalid(XMLStreamWriter xml, List<InvalidDocument> invalid)
      throws XMLStreamException {
    newline(xml, 1);
    xml.writeStartElement("testsuite");
    xml.writeAttribute("name", "invalid documents (--skip-invalid)");
    xml.writeAttribute("tests", Integer.toString(invalid.size()));
    xml.writeAttribute("failures", "0");
    xml.writeAttribute("errors", "0");
    xml.writeAttribute("skipped", Integer.toString(invalid.size()));
    xml.writeAttribute("time", "0");
    for (InvalidDocument document : invalid) {
      newline(xml, 2);
      xml.writeStartElement("testcase");
      xml.writeAttribute("classname", "invalid documents");
      xml.writeAttribute("name", document.source());
      xml.writeAttribute("time", "0");
      newline(xml, 3);
      xml.writeEmptyElement("skipped");
      xml.writeAttribute("message", document.problem());
      newline(xml, 2);
      xml.writeEndElement();
    }
    newline(xml, 1);
    xml.writeEndElement();
  }

  private static void writeCase(XMLStreamWriter xml, String classname, KubeObject object,
      String check, List<CheckResult> results, CheckDefinition definition)
      throws XMLStreamException {
    newline(xml, 2);
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", classname);
    xml.writeAttribute("name", check);
    if (object.file() != null) {
      xml.writeAttribute("file", object.file());
    }
    if (object.line() > 0) {
      xml.writeAttribute("line", Integer.toString(object.line()));
    }
    xml.writeAttribute("time", "0");
    List<CheckResult> failed = results.stream().filter(r -> !r.passed()).toList();
    if (!failed.isEmpty()) {
      boolean error = failed.stream().anyMatch(CheckResult::error);
      StringBuilder text = new StringBuilder();
      for (CheckResult r : failed) {
        text.append(r.message()).append('\n');
      }
      if (definition != null && !definition.howToFix().isEmpty()) {
        text.append("How to fix: ").append(definition.howToFix()).append('\n');
      }
      newline(xml, 3);
      xml.writeStartElement(error ? "error" : "failure");
      xml.writeAttribute("type", failed.get(0).severity().id());
      xml.writeAttribute("message", failed.get(0).message()
          + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : ""));
      xml.writeCharacters(text.toString());
      xml.writeEndElement();
      newline(xml, 2);
    }
    xml.writeEndElement();
  }

  private static void property(XMLStreamWriter xml, String name, String value)
      throws XMLStreamException {
    newline(xml, 3);
    xml.writeEmptyElement("property");
    xml.writeAttribute("name", name);
    xml.writeAttribute("value", value);
  }

  private static String qualifiedName(KubeObject object) {
    return (object.namespace() == null ? "" : object.namespace() + ".") + object.kind() + "."
        + object.name();
  }

  private static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
    xml.writeCharacters("\n" + "  ".repeat(depth));
  }
}
