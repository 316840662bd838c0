package io.stochastic.devops.webhook;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request bodies the webhook holds in memory at once, over all its connections. A review
 * reserves its body before it is read and gives it back when it is answered, so that many large
 * bodies at once are refused (503) instead of exhausting the heap.
 */
final class BodyBudget {
  private final long capacity;
  private final AtomicLong reserved = new AtomicLong();

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  boolean reserve(long bytes) {
    long now;
    do {
      now = reserved.get();
      if (now + bytes > capacity) {
        return false;
      }
    } while (!reserved.compareAndSet(now, now + bytes));
    return true;
  }

  void release(long bytes) {
    reserved.addAndGet(-bytes);
  }

  long reserved() {
    return reserved.get();
  }
}
