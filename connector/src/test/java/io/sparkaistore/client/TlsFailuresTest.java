package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Which TLS failures are final and what they say; the real ones are provoked in TlsIT and
 * MutualTlsIT.
 */
class TlsFailuresTest {
  private static final AisRequest HEAD = AisRequest.of("HEAD", "/v1/buckets/b");
  private static final URI TARGET = URI.create("https://10.0.0.7:51081/v1/buckets/b");

  private static String explain(SSLException e) {
    AisException explained = TlsFailures.explain(e, HEAD, TARGET);
    return explained == null ? null : explained.getMessage();
  }

  @Test
  void rejectedServerCertificateSaysHowToTrustIt() {
    SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed");
    e.initCause(new CertificateException("unable to find valid certification path"));
    String message = explain(e);
    assertTrue(
        message.contains(
            "the certificate of 10.0.0.7:51081 was not accepted (PKIX path building failed)"),
        message);
    assertTrue(
        message.contains(TlsFailures.HOW_TO_TRUST) && message.contains("not retried"), message);
  }

  @Test
  void plainHttpAnswerSaysUseHttp() {
    String message = explain(new SSLException("Unrecognized SSL message, plaintext connection?"));
    assertTrue(message.contains("the endpoint speaks HTTP: use http://10.0.0.7:51081"), message);
  }

  @Test
  void refusedClientCertificateSaysWhatToPresent() {
    for (String alert : new String[] {"certificate_required", "bad_certificate", "unknown_ca"}) {
      String message = explain(new SSLHandshakeException("Received fatal alert: " + alert));
      assertTrue(message.contains(TlsFailures.HOW_TO_PRESENT), message);
    }
  }

  @Test
  void otherHandshakeFailuresAreLeftToTheRetries() {
    assertNull(explain(new SSLHandshakeException("Remote host terminated the handshake")));
    assertNull(explain(new SSLException("Connection reset")));
  }
}
