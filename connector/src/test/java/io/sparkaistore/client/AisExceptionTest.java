package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AisExceptionTest {
  @Test
  void parsesAisJsonErrorBody() {
    String body = "{\"tcode\":\"ErrNotFound\",\"message\":\"t[RRJt8081]: ais://b1/nope does not exist\","
        + "\"method\":\"GET\",\"url_path\":\"/v1/objects/b1/nope\",\"status\":404}";
    AisException e = AisException.fromResponse(404, body, "ais://b1", "nope");
    assertEquals(404, e.status());
    assertEquals("t[RRJt8081]: ais://b1/nope does not exist", e.aisMessage());
    assertEquals("AIS error 404 on ais://b1/nope: t[RRJt8081]: ais://b1/nope does not exist", e.getMessage());
    assertTrue(e.isNotFound());
  }

  @Test
  void keepsNonJsonBodiesAsText() {
    assertEquals("Bad Gateway", AisException.fromResponse(502, "Bad Gateway\n", null, null).aisMessage());
  }

  @Test
  void saysWhenThereIsNoBody() {
    assertEquals("HTTP 503 with no error message", AisException.fromResponse(503, "", null, null).aisMessage());
  }

  @Test
  void truncatesHugeBodies() {
    String html = "<html>" + "x".repeat(2000);
    assertEquals(503, AisException.fromResponse(502, html, null, null).aisMessage().length());
  }
}
