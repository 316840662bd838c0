package io.stochastic.devops.gitops;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Why a fetch failed, in plain words for an error line that already names the repository: no
 * exception class names, no stack traces, no second copy of the URL. The SSH failures a user
 * can act on (host key, key refused, nothing listening) are said as such; anything else is the
 * first line of JGit's own message.
 */
final class FetchProblems {
  /** {@code org.apache.sshd.common.SshException: } and the like, wherever they appear. */
  private static final Pattern CLASS_NAME = Pattern.compile(
      "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:? ?");

  private FetchProblems() {}

  static String describe(Exception e, GitSource source) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    if (source.auth() instanceof GitAuth.SshKey ssh) {
      if (mentions(chain, "Server key did not validate")) {
        return "the server's host key is not in the known_hosts file " + ssh.knownHosts()
            + " (an unknown host, or its key changed)";
      }
      if (mentions(chain, "No more authentication methods available")) {
        return "the server refused the SSH key " + ssh.keyFile() + " (authentication failed)";
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return "cannot connect: " + plain(t.getMessage(), source).toLowerCase();
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + plain(t.getMessage(), source);
      }
    }
    return plain(e.getMessage(), source);
  }

  private static boolean mentions(List<Throwable> chain, String text) {
    return chain.stream().anyMatch(t -> t.getMessage() != null && t.getMessage().contains(text));
  }

  /** The first line of {@code message}, without the repository URL JGit puts in front. */
  private static String plain(String message, GitSource source) {
    if (message == null || message.isBlank()) {
      return "unknown error";
    }
    String line = message.lines().findFirst().orElse("").strip();
    if (line.startsWith(source.url() + ": ")) {
      line = line.substring(source.url().length() + 2);
    }
    line = CLASS_NAME.matcher(line).replaceAll("").strip();
    return line.isEmpty() ? "unknown error" : line;
  }
}
