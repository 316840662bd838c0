package io.stochastic.devops.engine.input;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Stops reading a YAML stream as soon as a line or a document grows past its limit. The YAML
 * scanner's own code-point limit fires only after a whole scalar is scanned, and scanning one
 * very long line costs more than linear time, so a 50 MB single-line document would take many
 * minutes; this guard ends it after the limit instead. Documents are delimited by lines
 * starting with {@code ---} or {@code ...}.
 */
final class YamlInputGuard extends FilterReader {
  private final long maxLine;
  private final long maxDocument;
  private long lineLength;
  private long documentLength;
  /** Characters of a possible document marker seen at the start of the current line. */
  private int markerProgress;
  private char markerChar;

  YamlInputGuard(Reader in, long maxLine, long maxDocument) {
    super(in);
    this.maxLine = maxLine;
    this.maxDocument = maxDocument;
  }

  @Override
  public int read() throws IOException {
    int c = super.read();
    if (c >= 0) {
      account((char) c);
    }
    return c;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    for (int i = 0; i < n; i++) {
      account(buffer[offset + i]);
    }
    return n;
  }

  private void account(char c) {
    if (c == 0) {
      // YAML allows no NUL, even quoted: binary data (an image, an archive, /dev/zero).
      throw new DocumentLimitExceeded("not YAML text: binary data (a NUL byte)");
    }
    if (c == '\n') {
      lineLength = 0;
      markerProgress = 0;
      documentLength++;
      return;
    }
    if (lineLength < 3 && markerProgress == lineLength && (c == '-' || c == '.')
        && (lineLength == 0 || c == markerChar)) {
      markerChar = c;
      markerProgress++;
      if (markerProgress == 3) {
        documentLength = 0; // "---" or "..." at the start of a line: a document boundary
      }
    }
    lineLength++;
    documentLength++;
    if (lineLength > maxLine) {
      throw new DocumentLimitExceeded("a line longer than " + maxLine + " characters");
    }
    if (documentLength > maxDocument) {
      throw new DocumentLimitExceeded("document too large: more than " + maxDocument
          + " characters");
    }
  }
}
