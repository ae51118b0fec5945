package io.sparkaistore.source.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadConfigTest {
  private static final ReadConfig.SessionDefaults DEFAULTS =
      new ReadConfig.SessionDefaults(8, false, false);

  private static ReadConfig parse(Map<String, String> options, Map<String, String> env) {
    return ReadConfig.parse(OptionValues.of(Map.of(), options), env, DEFAULTS);
  }

  private static ReadConfig parse(String... keyValues) {
    Map<String, String> options = new HashMap<>();
    options.put("path", "ais://b/p/");
    for (int i = 0; i < keyValues.length; i += 2) {
      options.put(keyValues[i], keyValues[i + 1]);
    }
    return parse(options, Map.of());
  }

  private static String error(String... keyValues) {
    return assertThrows(IllegalArgumentException.class, () -> parse(keyValues)).getMessage();
  }

  @Test
  void defaults() {
    ReadConfig o = parse();
    assertEquals(List.of(AisPath.parse("ais://b/p/")), o.paths());
    assertEquals("http://localhost:8080", o.clientConfig().endpoint().toString());
    assertEquals(128L << 20, o.maxPartitionBytes());
    assertEquals(256L << 10, o.openCostInBytes());
    assertEquals(8, o.minPartitions());
    assertEquals(1, o.tasks().getBatchSize());
    assertEquals(Duration.ofSeconds(60), o.clientConfig().readTimeout());
    assertNull(o.tasks().etl());
    assertFalse(o.tasks().ignoreMissingFiles());
  }

  @Test
  void endpointOptionBeatsEnvironmentWhichBeatsDefault() {
    Map<String, String> env = Map.of("AIS_ENDPOINT", "http://env:1", "AIS_AUTHN_TOKEN", "tok");
    assertEquals(
        "http://env:1", parse(Map.of("path", "ais://b"), env).clientConfig().endpoint().toString());
    ReadConfig explicit = parse(Map.of("path", "ais://b", "endpoint", "http://opt:2"), env);
    assertEquals("http://opt:2", explicit.clientConfig().endpoint().toString());
    assertTrue(explicit.clientConfig().hasToken());
  }

  @Test
  void keysAreCaseInsensitiveAndSizesAndDurationsUseSparkSyntax() {
    ReadConfig o =
        parse("MAXPARTITIONBYTES", "64m", "readTimeout", "1500ms", "parallelReadChunkSize", "512k");
    assertEquals(64L << 20, o.maxPartitionBytes());
    assertEquals(Duration.ofMillis(1500), o.clientConfig().readTimeout());
    assertEquals(512 << 10, o.tasks().parallelReadChunkSize());
  }

  @Test
  void retriesAreBoundInTimeAndAttempts() {
    ReadConfig defaults = parse();
    assertEquals(30, defaults.clientConfig().maxAttempts());
    assertEquals(Duration.ofSeconds(45), defaults.clientConfig().retryTimeout());
    assertEquals(Duration.ofMillis(200), defaults.clientConfig().backoff().delay(1));
    assertEquals(Duration.ofSeconds(5), defaults.clientConfig().backoff().delay(30));
    ReadConfig o =
        parse(
            "retryTimeout",
            "2m",
            "maxAttempts",
            "3",
            "retryBackoff",
            "10ms",
            "retryMaxBackoff",
            "1s");
    assertEquals(Duration.ofMinutes(2), o.clientConfig().retryTimeout());
    assertEquals(3, o.clientConfig().maxAttempts());
    assertEquals(Duration.ofMillis(10), o.clientConfig().backoff().delay(1));
    assertEquals(Duration.ofSeconds(1), o.clientConfig().backoff().delay(30));
    assertEquals(
        "Invalid value '10s' for option 'retryBackoff': expected at most retryMaxBackoff (5000ms)",
        error("retryBackoff", "10s"));
    assertTrue(error("retryTimeout", "0s").contains("positive duration"));
  }

  @Test
  void severalPathsFromTheJsonArraySparkPasses() {
    ReadConfig o = parse(Map.of("paths", "[\"ais://a/x/\",\"s3://b/\",\"ais://a/x/\"]"), Map.of());
    assertEquals(List.of(AisPath.parse("ais://a/x/"), AisPath.parse("s3://b/")), o.paths());
  }

  @Test
  void badValuesNameTheOptionTheValueAndWhatIsAllowed() {
    assertEquals(
        "Invalid value 'lots' for option 'maxPartitionBytes': expected a size in bytes such as 1048576, 512k, 64m or 1g",
        error("maxPartitionBytes", "lots"));
    assertTrue(
        error("layout", "parquet")
            .contains(
                "'parquet' for option 'layout': expected one of [members, objects, webdataset, zipped]"));
    assertTrue(error("getBatchSize", "0").contains("expected a positive integer"));
    assertTrue(error("ignoreMissingFiles", "yes").contains("expected true or false"));
    assertTrue(error("readTimeout", "-1s").contains("positive duration"));
    assertTrue(error("etlArgs", "{}").contains("needs option 'etl'"));
    assertTrue(error("endpoint", "ftp://x").contains("expected http(s)://host:port"));
  }

  @Test
  void unknownOptionsAreReportedWithTheKnownOnes() {
    String message = error("maxPartitonBytes", "1m");
    assertTrue(
        message.startsWith("Unknown option(s) [maxpartitonbytes] for format 'ais'"), message);
    assertTrue(message.contains("maxPartitionBytes"), message);
  }

  @Test
  void aPathIsRequired() {
    String message =
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), Map.of())).getMessage();
    assertTrue(message.contains("No AIS path"), message);
  }

  @Test
  void tokenNeverInTheParsedOptionsText() {
    ReadConfig o = parse("authnToken", "very-secret");
    assertFalse(o.clientConfig().toString().contains("very-secret"));
  }

  private static String fixture(String name) throws Exception {
    return Path.of(ReadConfigTest.class.getResource("/tls/" + name).toURI()).toString();
  }

  private static String tlsOf(Map<String, String> options, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(options);
    all.put("path", "ais://b");
    return parse(all, env).clientConfig().toString();
  }

  @Test
  void tlsOptionsBeatAisVariables() throws Exception {
    String rsa = fixture("rsa.pem");
    String ec = fixture("ec.pem");
    Map<String, String> env =
        Map.of(
            "AIS_CLIENT_CA",
            ec,
            "AIS_SKIP_VERIFY_CRT",
            "true",
            "AIS_CRT",
            ec,
            "AIS_CRT_KEY",
            fixture("ec-pkcs8.key"));
    String fromEnv = tlsOf(Map.of(), env);
    assertTrue(fromEnv.contains("tls[ca=" + ec + ", skipVerify, clientCert=" + ec), fromEnv);
    String fromOptions =
        tlsOf(
            Map.of(
                "tlsCaCert",
                rsa,
                "tlsSkipVerify",
                "false",
                "tlsClientCert",
                rsa,
                "tlsClientKey",
                fixture("rsa-pkcs1.key")),
            env);
    assertTrue(fromOptions.contains("tls[ca=" + rsa + ", clientCert=" + rsa), fromOptions);
    assertFalse(tlsOf(Map.of(), Map.of()).contains("tls["));
  }

  @Test
  void clientCertificateOptionsComeInPairs() throws Exception {
    Map<String, String> env =
        Map.of("AIS_CRT", fixture("ec.pem"), "AIS_CRT_KEY", fixture("ec-pkcs8.key"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> tlsOf(Map.of("tlsClientCert", fixture("rsa.pem")), env));
    assertTrue(e.getMessage().contains("tlsClientCert and tlsClientKey"), e.getMessage());
    assertTrue(error("tlsSkipVerify", "sometimes").contains("expected true or false"));
  }
}
