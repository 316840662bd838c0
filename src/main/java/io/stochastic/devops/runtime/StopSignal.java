package io.stochastic.devops.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The request to stop a long-running component, from SIGTERM (Kubernetes stopping the pod),
 * SIGINT (Ctrl-C) or code. The work loop waits on it between rounds instead of sleeping, so a
 * stop ends the wait at once, while a round in flight (an apply) runs to its end; the loop then
 * releases its Lease and returns, and the process exits 0.
 *
 * <p>Signals are caught with {@code sun.misc.Signal} rather than a shutdown hook because in a
 * shutdown hook the JVM is already exiting with status 143: the process could no longer finish
 * its work and exit 0.
 */
public final class StopSignal {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);

  private final CountDownLatch stopped = new CountDownLatch(1);

  /** A stop signal that SIGTERM and SIGINT raise. Install once per process. */
  public static StopSignal onTermination() {
    StopSignal stop = new StopSignal();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        if (!stop.isRequested()) {
          // a repeated signal (a process group signalled twice) says nothing new
          LOG.info("SIG{} received: finishing the work in flight, then stopping", name);
        }
        stop.requestStop();
      });
    }
    return stop;
  }

  public void requestStop() {
    stopped.countDown();
  }

  public boolean isRequested() {
    return stopped.getCount() == 0;
  }

  /** Waits up to {@code timeout}; true when a stop was requested (before or during the wait). */
  public boolean await(Duration timeout) {
    try {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
