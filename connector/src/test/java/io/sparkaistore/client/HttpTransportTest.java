package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** How each hop of a request is built; sending them is covered against a real cluster. */
class HttpTransportTest {
  private final HttpTransport transport =
      new HttpTransport(
          AisClientConfig.builder("http://proxy:8080").token("tok").build(), new ClientStats());

  @Test
  void redirectedHopKeepsRangeAndAuthorization() {
    AisRequest get = AisRequest.of("GET", "/v1/objects/b/o").header("Range", "bytes=5-9");
    HttpRequest hop =
        transport.newHop(get, URI.create("http://target:8081/v1/objects/b/o?pid=x"), false);
    assertEquals("http://target:8081/v1/objects/b/o?pid=x", hop.uri().toString());
    assertEquals("bytes=5-9", hop.headers().firstValue("Range").orElseThrow());
    assertEquals("Bearer tok", hop.headers().firstValue("Authorization").orElseThrow());
  }

  @Test
  void deferredUploadSendsNoBodyToTheProxy() {
    AisRequest put =
        AisRequest.of("PUT", "/v1/objects/b/o")
            .body(RequestBody.of(new byte[100]))
            .deferBodyToRedirect();
    assertEquals(
        0L,
        transport
            .newHop(put, URI.create("http://proxy:8080/v1/objects/b/o"), false)
            .bodyPublisher()
            .orElseThrow()
            .contentLength());
    assertEquals(
        100L,
        transport
            .newHop(put, URI.create("http://target:8081/v1/objects/b/o"), true)
            .bodyPublisher()
            .orElseThrow()
            .contentLength());
  }

  @Test
  void noAuthorizationWithoutToken() {
    HttpTransport anonymous =
        new HttpTransport(AisClientConfig.builder("http://proxy:8080").build(), new ClientStats());
    HttpRequest hop =
        anonymous.newHop(
            AisRequest.of("GET", "/v1/health"), URI.create("http://proxy:8080/v1/health"), false);
    assertFalse(hop.headers().firstValue("Authorization").isPresent());
  }

  @Test
  void readsMayBeSentAgainStateChangesOnlyWhenMarkedSafe() {
    assertTrue(AisRequest.of("GET", "/v1/buckets/b").resendable());
    assertTrue(AisRequest.of("HEAD", "/v1/objects/b/o").resendable());
    assertFalse(
        AisRequest.of("POST", "/v1/objects/b/o").resendable(), "a lost answer may hide a rename");
    assertFalse(AisRequest.of("DELETE", "/v1/objects/b/o").resendable());
    assertTrue(AisRequest.of("POST", "/v1/objects/b/o").safeToResend().resendable());
  }
}
