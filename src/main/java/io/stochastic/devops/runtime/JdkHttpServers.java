package io.stochastic.devops.runtime;

/** What the JDK's HTTP servers ({@code com.sun.net.httpserver}) need before the first starts. */
public final class JdkHttpServers {
  /** The JDK's switch for TCP_NODELAY on the connections its servers accept (default: off). */
  public static final String NO_DELAY = "sun.net.httpserver.nodelay";

  private JdkHttpServers() {}

  /**
   * Turns Nagle's algorithm off for the connections the JDK's servers accept, unless the
   * property is set explicitly. The JDK writes a response's headers and its body in two writes;
   * with Nagle on, the body waits for the client's acknowledgement of the headers, which the
   * client delays (40 ms on Linux): every answer on a kept-alive connection took 44 ms
   * (scripts/bench.sh webhook). The JDK reads the property once, when its first server is
   * created, so every server of the project calls this before it is created.
   */
  public static void noDelay() {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }
}
