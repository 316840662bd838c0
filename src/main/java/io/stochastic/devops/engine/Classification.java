package io.stochastic.devops.engine;

/** Score bands (DESIGN.md §1, contract). */
public enum Classification {
  Healthy(80),
  Stable(60),
  Degraded(40),
  Critical(0);

  /** A status is {@code healthy} at or above this score. */
  public static final int HEALTHY_THRESHOLD = 80;

  private final int minimumScore;

  Classification(int minimumScore) {
    this.minimumScore = minimumScore;
  }

  public int minimumScore() {
    return minimumScore;
  }

  public static Classification of(int score) {
    for (Classification c : values()) {
      if (score >= c.minimumScore) {
        return c;
      }
    }
    return Critical;
  }
}
