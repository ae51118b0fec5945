package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AisExceptionTest {
  @Test
  void parsesAisJsonErrorBody() {
    String body =
        "{\"tcode\":\"ErrNotFound\",\"message\":\"t[RRJt8081]: ais://b1/nope does not exist\","
            + "\"method\":\"GET\",\"url_path\":\"/v1/objects/b1/nope\",\"status\":404}";
    AisException e = AisException.fromResponse(404, body, "ais://b1", "nope");
    assertEquals(404, e.status());
    assertEquals("t[RRJt8081]: ais://b1/nope does not exist", e.aisMessage());
    assertEquals(
        "AIS error 404 on ais://b1/nope: t[RRJt8081]: ais://b1/nope does not exist",
        e.getMessage());
    assertTrue(e.isNotFound());
  }

  @Test
  void keepsNonJsonBodiesAsText() {
    assertEquals(
        "Bad Gateway", AisException.fromResponse(502, "Bad Gateway\n", null, null).aisMessage());
  }

  @Test
  void saysWhenThereIsNoBody() {
    assertEquals(
        "HTTP 503 with no error message",
        AisException.fromResponse(503, "", null, null).aisMessage());
  }

  @Test
  void truncatesHugeBodies() {
    String html = "<html>" + "x".repeat(2000);
    assertEquals(503, AisException.fromResponse(502, html, null, null).aisMessage().length());
  }

  @Test
  void namesTheTargetAndTheRetriesAfterARedirect() {
    Hop target = new Hop(java.net.URI.create("http://10.0.0.2:51081/v1/objects/b/o?pid=x"), true);
    AisException e =
        AisException.fromResponse(
            503,
            "{\"message\":\"busy\",\"node\":\"t[Qg12081]\"}",
            "ais://b",
            "o",
            target,
            "retried 4 times over 2.5 s");
    assertEquals(
        "AIS error 503 on ais://b/o at target 10.0.0.2:51081 (retried 4 times over 2.5 s): busy",
        e.getMessage());
    assertEquals("10.0.0.2:51081", e.node());
    assertEquals("Qg12081", e.aisNodeId());
    assertEquals("busy", e.aisMessage());
  }

  @Test
  void namesTheGatewayWhenItFailedItself() {
    Hop gateway = new Hop(java.net.URI.create("https://ais.example.com/v1/buckets/b"), false);
    AisException e =
        AisException.failed(
            "GET /v1/buckets/b failed: java.net.ConnectException",
            "ais://b",
            null,
            gateway,
            null,
            null);
    assertEquals(
        "AIS request failed on ais://b at gateway ais.example.com:443: GET /v1/buckets/b failed: "
            + "java.net.ConnectException",
        e.getMessage());
    assertEquals(0, e.status());
  }

  @Test
  void nodeIdOnlyFromAisJson() {
    assertEquals(
        "lqFt12082", AisException.parseNodeId("{\"message\":\"x\",\"node\":\"t[lqFt12082]\"}"));
    assertNull(AisException.parseNodeId("{\"message\":\"x\"}"));
    assertNull(AisException.parseNodeId("Bad Gateway"));
    assertNull(AisException.parseNodeId(null));
  }

  @Test
  void a404IsTheHoldersWordOnlyWhenItComesFromTheHolder() {
    String body =
        "{\"message\":\"t[lqFt12082]: ais://b/o does not exist\",\"node\":\"t[lqFt12082]\"}";
    Hop other = new Hop(java.net.URI.create("http://127.0.0.1:12082/v1/objects/b/o"), true);
    Hop holder = new Hop(java.net.URI.create("http://127.0.0.1:12081/v1/objects/b/o"), true);
    AisException fromOther = AisException.fromResponse(404, body, "ais://b", "o", other, null);
    assertTrue(
        ObjectReadStream.holderAway(fromOther, "QgDt12081", null), "listed on another target");
    assertTrue(ObjectReadStream.holderAway(fromOther, null, holder), "served by another target");
    assertFalse(
        ObjectReadStream.holderAway(fromOther, "lqFt12082", null), "the listed target says so");
    assertFalse(ObjectReadStream.holderAway(fromOther, null, other), "the serving target says so");
    assertFalse(ObjectReadStream.holderAway(fromOther, null, null), "nobody known to hold it");
    AisException busy = AisException.fromResponse(503, body, "ais://b", "o", other, null);
    assertFalse(ObjectReadStream.holderAway(busy, "QgDt12081", holder), "only a 404");
  }
}
