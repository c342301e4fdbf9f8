package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
  @Test
  void aBurstPerPeriodThenTheCountOfWhatWasHeldBack() {
    AtomicLong now = new AtomicLong();
    LogLimiter limiter = new LogLimiter(3, 1000, now::get);
    assertThat(limiter.acquire()).isZero();
    assertThat(limiter.acquire()).isZero();
    assertThat(limiter.acquire()).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire()).as("held back").isEqualTo(-1);
    }
    now.set(999);
    assertThat(limiter.acquire()).isEqualTo(-1);
    now.set(1000);
    assertThat(limiter.acquire()).as("the next period says how many were held").isEqualTo(6);
    assertThat(limiter.acquire()).isZero();
  }
}
