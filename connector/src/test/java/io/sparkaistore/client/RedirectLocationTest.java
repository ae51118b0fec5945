package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectLocationTest {
  private static final URI PROXY = URI.create("http://127.0.0.1:8080/v1/objects/b/x");

  /**
   * What AIS's proxy writes for names without {@code % ? # space +}: the decoded name, as it is.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a[1]",
        "a{b}",
        "a|b",
        "a^b",
        "a\\b",
        "a\"b\"",
        "<a>",
        "a`b",
        "данные/ключ.bin",
        "a;b=c&d"
      })
  void unescapedNameInLocationResolvesToThatName(String name) {
    // The JDK client hands a header over one character per byte: UTF-8 arrives as Latin-1
    // characters.
    String header =
        new String(
            ("http://127.0.0.1:8081/v1/objects/b/" + name + "?pid=p1&ts=9")
                .getBytes(StandardCharsets.UTF_8),
            StandardCharsets.ISO_8859_1);
    URI next = RedirectLocation.resolve(PROXY, header);
    assertEquals("/v1/objects/b/" + name, next.getPath());
    assertEquals("pid=p1&ts=9", next.getRawQuery());
    assertEquals("127.0.0.1:8081", next.getRawAuthority());
  }

  /** Names with {@code % ? # space +} come escaped (Go's URL encoding) and stay exactly as sent. */
  @Test
  void escapedLocationIsLeftAsItIs() {
    String location = "http://127.0.0.1:8081/v1/objects/b/a%25zz%3Fq%23f%20s+p%5B?pid=p1";
    URI next = RedirectLocation.resolve(PROXY, location);
    assertEquals(location, next.toString());
    assertEquals("/v1/objects/b/a%zz?q#f s+p[", next.getPath());
  }

  @Test
  void ipv6TargetKeepsItsBrackets() {
    URI next =
        RedirectLocation.resolve(
            URI.create("http://[::1]:8080/v1/objects/b/x"),
            "http://[::1]:8081/v1/objects/b/a[1].tar?pid=p");
    assertEquals("[::1]", next.getHost());
    assertEquals("/v1/objects/b/a[1].tar", next.getPath());
    HttpRequest.newBuilder(next); // a URI the JDK client takes
  }

  @Test
  void percentThatStartsNoEscapeIsEscaped() {
    assertEquals("/b/100%25", RedirectLocation.escapeIllegal("/b/100%"));
    assertEquals("/b/%25zz%41", RedirectLocation.escapeIllegal("/b/%zz%41"));
  }
}
