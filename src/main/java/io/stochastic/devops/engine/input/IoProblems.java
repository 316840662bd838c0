package io.stochastic.devops.engine.input;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong reading a file, in plain words for an error line that names the file itself:
 * never the exception's class name ({@code java.nio.file.AccessDeniedException: x.yaml}) nor
 * the path again, which is all many of the JDK's file exceptions say.
 */
public final class IoProblems {
  private IoProblems() {}

  public static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileSystemLoopException) {
      return "a symbolic link loop";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    if (e instanceof FileSystemException fs) {
      return fs.getReason() != null ? fs.getReason() : "cannot read";
    }
    String message = e.getMessage();
    if (message == null || message.isBlank() || message.matches("(?s).*\\b(java|javax|com|org)"
        + "\\.[a-z]+\\.[A-Za-z.$]*(Exception|Error)\\b.*")) {
      return "input/output error";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
