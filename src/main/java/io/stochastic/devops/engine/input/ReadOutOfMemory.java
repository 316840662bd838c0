package io.stochastic.devops.engine.input;

/**
 * The heap ran out while a file was read: an {@link OutOfMemoryError} that names the file, for
 * an error line that says which input to split or how much heap to give.
 */
public final class ReadOutOfMemory extends OutOfMemoryError {
  private static final long serialVersionUID = 1L;
  private final String source;

  ReadOutOfMemory(String source, OutOfMemoryError cause) {
    super("out of memory reading " + source);
    this.source = source;
    initCause(cause);
  }

  /** The file (or {@code <stdin>}) being read when the heap ran out. */
  public String source() {
    return source;
  }
}
