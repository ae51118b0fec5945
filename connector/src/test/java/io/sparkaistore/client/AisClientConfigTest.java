package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AisClientConfigTest {
  @Test
  void endpointDefaultsToLocalhost() {
    assertEquals("http://localhost:8080", AisClientConfig.fromEnvironment(Map.of()).build().endpoint().toString());
  }

  @Test
  void endpointComesFromEnvironmentWithoutTrailingSlash() {
    AisClientConfig c = AisClientConfig.fromEnvironment(Map.of("AIS_ENDPOINT", "http://10.0.0.1:51080/")).build();
    assertEquals("http://10.0.0.1:51080", c.endpoint().toString());
  }

  @Test
  void rejectsEndpointsThatAreNotHttp() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AisClientConfig.builder("localhost:8080"));
    assertTrue(e.getMessage().contains("expected http(s)://host:port"), e.getMessage());
  }

  @Test
  void tokenComesFromVariableBeforeFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file\n");
    assertEquals("from-var", AisClientConfig.tokenFromEnvironment(
        Map.of("AIS_AUTHN_TOKEN", "from-var", "AIS_AUTHN_TOKEN_FILE", file.toString())));
    assertEquals("from-file", AisClientConfig.tokenFromEnvironment(Map.of("AIS_AUTHN_TOKEN_FILE", file.toString())));
    assertNull(AisClientConfig.tokenFromEnvironment(Map.of()));
  }

  @Test
  void tokenNeverPrinted() {
    AisClientConfig c = AisClientConfig.builder("http://h:1").token("s3cr3t-jwt").build();
    assertTrue(c.hasToken());
    assertFalse(c.toString().contains("s3cr3t-jwt"), c.toString());
    assertTrue(c.toString().contains("token=***"));
  }

  @Test
  void validatesTimeoutsAndAttempts() {
    AisClientConfig.Builder b = AisClientConfig.builder("http://h:1");
    assertThrows(IllegalArgumentException.class, () -> b.maxAttempts(0));
    assertThrows(IllegalArgumentException.class, () -> b.readTimeout(java.time.Duration.ZERO));
  }
}
