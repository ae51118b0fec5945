package io.sparkaistore.client;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The backends AIS serves buckets from. Each is named in URLs by the AIS CLI's scheme ({@code
 * s3://}, {@code gs://}, ...) or by AIS's own provider name ({@code aws://}, {@code gcp://}, ...).
 */
public enum Provider {
  AIS("ais", "ais"),
  AWS("aws", "s3"),
  GCP("gcp", "gs"),
  AZURE("azure", "az"),
  OCI("oci", "oc"),
  HTTP("ht", "ht");

  private final String apiName;
  private final String scheme;

  Provider(String apiName, String scheme) {
    this.apiName = apiName;
    this.scheme = scheme;
  }

  /** The value of AIS's {@code provider} query parameter. */
  public String apiName() {
    return apiName;
  }

  /** The URL scheme the AIS CLI uses for this provider. */
  public String scheme() {
    return scheme;
  }

  /** The provider for a URL scheme, accepting both the CLI scheme and AIS's provider name. */
  public static Provider fromScheme(String scheme) {
    String wanted = scheme.toLowerCase(Locale.ROOT);
    for (Provider p : values()) {
      if (p.scheme.equals(wanted) || p.apiName.equals(wanted)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "Unknown bucket provider '" + scheme + "://'; allowed: " + allowedSchemes());
  }

  static String allowedSchemes() {
    return Arrays.stream(values()).map(p -> p.scheme + "://").collect(Collectors.joining(", "));
  }
}
