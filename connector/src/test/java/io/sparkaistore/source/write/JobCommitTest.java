package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobCommitTest {
  @ParameterizedTest
  @ValueSource(strings = {"out/shard-000001.tar", "a/B-c_d.e~f", "0/1/2"})
  void plainNamesAreRenamed(String name) {
    assertTrue(JobCommit.renamesIntact(name));
  }

  /** AIS's rename mangles some of these; all of them are copied instead. */
  @ParameterizedTest
  @ValueSource(strings = {"a?b", "a%41", "a%zz", "a b", "a+b", "a#b", "a[1]", "данные", "a;b", "a&b=c"})
  void namesARenameCouldMangleAreCopied(String name) {
    assertFalse(JobCommit.renamesIntact(name));
  }
}
