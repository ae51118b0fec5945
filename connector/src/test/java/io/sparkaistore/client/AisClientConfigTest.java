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
    assertEquals(
        "http://localhost:8080",
        AisClientConfig.fromEnvironment(Map.of()).build().endpoint().toString());
  }

  @Test
  void endpointComesFromEnvironmentWithoutTrailingSlash() {
    AisClientConfig c =
        AisClientConfig.fromEnvironment(Map.of("AIS_ENDPOINT", "http://10.0.0.1:51080/")).build();
    assertEquals("http://10.0.0.1:51080", c.endpoint().toString());
  }

  @Test
  void rejectsEndpointsThatAreNotHttp() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AisClientConfig.builder("localhost:8080"));
    assertTrue(e.getMessage().contains("expected http(s)://host:port"), e.getMessage());
  }

  @Test
  void tokenComesFromVariableBeforeFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file\n");
    assertEquals(
        "from-var",
        AisClientConfig.tokenFromEnvironment(
            Map.of("AIS_AUTHN_TOKEN", "from-var", "AIS_AUTHN_TOKEN_FILE", file.toString())));
    assertEquals(
        "from-file",
        AisClientConfig.tokenFromEnvironment(Map.of("AIS_AUTHN_TOKEN_FILE", file.toString())));
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
  void skipVerifyReadAsAisReadsIt() {
    for (String yes : new String[] {"true", "1", "t", "y", "yes", "on", "TRUE", " True "}) {
      assertTrue(
          AisClientConfig.skipVerifyFromEnvironment(Map.of("AIS_SKIP_VERIFY_CRT", yes)), yes);
    }
    for (String no : new String[] {"", "false", "0", "no", "off", "maybe"}) {
      assertFalse(AisClientConfig.skipVerifyFromEnvironment(Map.of("AIS_SKIP_VERIFY_CRT", no)), no);
    }
    assertFalse(AisClientConfig.skipVerifyFromEnvironment(Map.of()));
  }

  @Test
  void tlsComesFromAisVariables() {
    String ca = PemTest.fixture("rsa.pem").toString();
    String cert = PemTest.fixture("ec.pem").toString();
    String key = PemTest.fixture("ec-sec1.key").toString();
    AisClientConfig c =
        AisClientConfig.fromEnvironment(
                Map.of(
                    "AIS_ENDPOINT",
                    "https://h:1",
                    "AIS_CLIENT_CA",
                    ca,
                    "AIS_CRT",
                    cert,
                    "AIS_CRT_KEY",
                    key,
                    "AIS_SKIP_VERIFY_CRT",
                    "false"))
            .build();
    assertEquals(TlsSettings.load(ca, false, cert, key), c.tls());
    assertTrue(
        c.toString().contains("ca=" + ca) && c.toString().contains("clientCert=" + cert),
        c.toString());
    assertFalse(
        c.toString().contains(PemTest.text("ec-sec1.key").substring(80, 120)), c.toString());
    assertTrue(AisClientConfig.fromEnvironment(Map.of()).build().tls().isDefault());
  }

  @Test
  void sameTlsFilesShareAClientAndOthersDoNot() {
    String ca = PemTest.fixture("rsa.pem").toString();
    TlsSettings trusting = TlsSettings.load(ca, false, null, null);
    assertEquals(trusting, TlsSettings.load(ca, false, null, null));
    assertEquals(trusting.hashCode(), TlsSettings.load(ca, false, null, null).hashCode());
    assertFalse(trusting.equals(TlsSettings.load(ca, true, null, null)));
    assertFalse(
        trusting.equals(TlsSettings.load(PemTest.fixture("ec.pem").toString(), false, null, null)));
    assertFalse(trusting.isDefault());
  }

  @Test
  void sslContextsBuildForEachSetting() {
    String ca = PemTest.fixture("rsa.pem").toString();
    assertEquals("TLS", TlsSettings.load(ca, false, null, null).sslContext().getProtocol());
    assertEquals("TLS", TlsSettings.load(null, true, null, null).sslContext().getProtocol());
    assertEquals(
        "TLS",
        TlsSettings.load(
                null,
                false,
                PemTest.fixture("rsa.pem").toString(),
                PemTest.fixture("rsa-pkcs1.key").toString())
            .sslContext()
            .getProtocol());
  }

  @Test
  void certificateWithoutKeyIsRefused() {
    String cert = PemTest.fixture("ec.pem").toString();
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> AisClientConfig.builder("https://h:1").tlsClientCert(cert, null).build())
            .getMessage();
    assertTrue(
        message.contains("needs both its certificate and its key") && message.contains(cert),
        message);
  }

  @Test
  void missingCaFileNamesItAndWhereItCameFrom() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    AisClientConfig.builder("https://h:1").tlsCaCert("/nonexistent/ca.pem").build())
            .getMessage();
    assertTrue(message.contains("/nonexistent/ca.pem (tlsCaCert or $AIS_CLIENT_CA)"), message);
  }

  @Test
  void validatesTimeoutsAndAttempts() {
    AisClientConfig.Builder b = AisClientConfig.builder("http://h:1");
    assertThrows(IllegalArgumentException.class, () -> b.maxAttempts(0));
    assertThrows(IllegalArgumentException.class, () -> b.readTimeout(java.time.Duration.ZERO));
  }
}
