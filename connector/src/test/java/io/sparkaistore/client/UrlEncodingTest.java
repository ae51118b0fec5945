package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkaistore.client.AisRequest.UrlEncoding;
import org.junit.jupiter.api.Test;

class UrlEncodingTest {
  @Test
  void pathKeepsSlashesAndEncodesEverythingReserved() {
    assertEquals("dir/a%20b%25c%2Bd%23e%3Ff", UrlEncoding.path("dir/a b%c+d#e?f"));
  }

  @Test
  void nonAsciiIsEncodedAsUtf8() {
    assertEquals("%C3%A9t%C3%A9/%E6%97%A5", UrlEncoding.path("été/日"));
  }

  @Test
  void componentEncodesSlashToo() {
    assertEquals("a%2Fb%3Dc%26d", UrlEncoding.component("a/b=c&d"));
  }

  @Test
  void unreservedCharactersStayLiteral() {
    assertEquals("AZaz09-._~", UrlEncoding.component("AZaz09-._~"));
  }

  @Test
  void queryIsEncodedInOrder() {
    AisRequest r =
        AisRequest.of("GET", "/v1/x").query("provider", "ais").query("etl_args", "{\"a\":1}");
    assertEquals("provider=ais&etl_args=%7B%22a%22%3A1%7D", r.rawQuery());
  }
}
