package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommitStepsTest {
  @Test
  void allRunsEveryStepOnce() throws Exception {
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    new CommitSteps(3).all(50, i -> assertTrue(ran.add(i), "step " + i + " ran twice"));
    assertEquals(50, ran.size());
  }

  @Test
  void allRunsStepsConcurrently() throws Exception {
    // Each step waits for the other: with one thread at a time this would never end.
    CountDownLatch both = new CountDownLatch(2);
    new CommitSteps(2)
        .all(
            2,
            i -> {
              both.countDown();
              try {
                if (!both.await(1, TimeUnit.MINUTES)) {
                  throw new IOException("the steps did not run at the same time");
                }
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
            });
  }

  @Test
  void allFailsWithTheFailureItself() {
    IOException cause = new IOException("rename failed");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                new CommitSteps(2)
                    .all(
                        3,
                        i -> {
                          if (i == 1) {
                            throw cause;
                          }
                        }));
    assertSame(cause, thrown);
    IOException wrapped =
        assertThrows(
            IOException.class,
            () ->
                new CommitSteps(2)
                    .all(
                        1,
                        i -> {
                          throw new IllegalStateException("bad answer");
                        }));
    assertEquals("bad answer", wrapped.getCause().getMessage());
  }

  @Test
  void eachRunsEveryStepAndReturnsTheFailuresByStep() {
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    Map<Integer, Exception> failures =
        new CommitSteps(4)
            .each(
                10,
                i -> {
                  ran.add(i);
                  if (i % 3 == 0) {
                    throw new IOException("step " + i);
                  }
                });
    assertEquals(10, ran.size());
    assertEquals(List.of(0, 3, 6, 9), List.copyOf(failures.keySet()));
    assertEquals("step 6", failures.get(6).getMessage());
  }

  @Test
  void noStepsIsNothingToDo() throws Exception {
    new CommitSteps(2)
        .all(
            0,
            i -> {
              throw new IOException("never");
            });
    assertTrue(
        new CommitSteps(2)
            .each(
                0,
                i -> {
                  throw new IOException("never");
                })
            .isEmpty());
  }
}
