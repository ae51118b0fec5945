package io.sparkaistore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AisDataSourceTest {
  @Test
  void catalogTablePropertiesAreReducedToOptions() {
    Map<String, String> props =
        Map.of(
            "location",
            "ais://b/x",
            "provider",
            "ais",
            "owner",
            "me",
            "option.endpoint",
            "http://h:1",
            "path",
            "ais://b/x");
    assertEquals(
        Map.of("endpoint", "http://h:1", "path", "ais://b/x"), AisDataSource.userOptions(props));
  }
}
