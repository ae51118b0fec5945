package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PEM files as openssl writes them (src/test/resources/tls/README.md says how they were made). */
class PemTest {
  static Path fixture(String name) {
    try {
      return Path.of(PemTest.class.getResource("/tls/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(String name) {
    try {
      return Files.readString(fixture(name), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PublicKey publicKey(String cert) {
    return Pem.certificates(text(cert), cert).get(0).getPublicKey();
  }

  @Test
  void certificatesOfAFileInOrder() {
    List<X509Certificate> certs =
        Pem.certificates(text("rsa.pem") + "\n" + text("ec.pem"), "bundle.pem");
    assertEquals(2, certs.size());
    assertTrue(certs.get(0).getSubjectX500Principal().getName().contains("rsa"));
    assertTrue(certs.get(1).getSubjectX500Principal().getName().contains("ec"));
  }

  @Test
  void fileWithoutCertificateNamesTheFile() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> Pem.certificates(text("rsa-pkcs8.key"), "/etc/ais/ca.pem"))
            .getMessage();
    assertTrue(message.contains("/etc/ais/ca.pem holds no PEM certificate"), message);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "rsa.pem, rsa-pkcs8.key, RSA",
    "rsa.pem, rsa-pkcs1.key, RSA",
    "ec.pem, ec-pkcs8.key, EC",
    "ec.pem, ec-sec1.key, EC",
    "ed25519.pem, ed25519-pkcs8.key, EdDSA"
  })
  void keyFormatsOpensslWrites(String cert, String key, String algorithm) {
    PrivateKey parsed = Pem.privateKey(text(key), key, publicKey(cert), cert);
    assertEquals(algorithm, parsed.getAlgorithm());
  }

  @Test
  void sameKeyInEveryFormat() {
    PublicKey rsa = publicKey("rsa.pem");
    assertEquals(
        Pem.privateKey(text("rsa-pkcs8.key"), "a", rsa, "c"),
        Pem.privateKey(text("rsa-pkcs1.key"), "b", rsa, "c"));
    PublicKey ec = publicKey("ec.pem");
    assertEquals(
        ((ECPrivateKey) Pem.privateKey(text("ec-pkcs8.key"), "a", ec, "c")).getS(),
        ((ECPrivateKey) Pem.privateKey(text("ec-sec1.key"), "b", ec, "c")).getS());
  }

  @Test
  void encryptedKeySaysHowToDecryptIt() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Pem.privateKey(
                        text("rsa-encrypted.key"),
                        "client.key",
                        publicKey("rsa.pem"),
                        "client.pem"))
            .getMessage();
    assertTrue(message.contains("client.key holds an encrypted private key"), message);
    assertTrue(message.contains("openssl pkcs8 -topk8 -nocrypt"), message);
  }

  @Test
  void keyOfAnotherCertificateIsRefused() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Pem.privateKey(text("ec-pkcs8.key"), "ec.key", publicKey("rsa.pem"), "rsa.pem"))
            .getMessage();
    assertTrue(message.contains("ec.key"), message);
    String sec1 =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Pem.privateKey(text("ec-sec1.key"), "ec.key", publicKey("rsa.pem"), "rsa.pem"))
            .getMessage();
    assertTrue(sec1.contains("Cannot read the private key in ec.key"), sec1);
  }

  @Test
  void keyOfAnotherCertificateOfTheSameTypeIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    PublicKey other = generator.generateKeyPair().getPublic();
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> Pem.privateKey(text("ec-pkcs8.key"), "client.key", other, "client.pem"))
            .getMessage();
    assertEquals(
        "The private key in client.key does not belong to the certificate in client.pem", message);
  }

  @Test
  void unknownKeyFormatSaysHowToConvert() {
    String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> Pem.privateKey(pem, "id.key", publicKey("rsa.pem"), "c"))
            .getMessage();
    assertTrue(message.contains("openssl pkcs8 -topk8 -nocrypt"), message);
  }

  @Test
  void fileWithoutKey() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> Pem.privateKey(text("rsa.pem"), "client.key", publicKey("rsa.pem"), "c"))
            .getMessage();
    assertTrue(message.contains("client.key holds no PEM private key"), message);
  }
}
