package io.sparkaistore.client;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/** A bucket in AIS's global namespace, printed as the AIS CLI prints it: {@code ais://name}. */
public final class AisBucket implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern AIS_BUCKET_NAME =
      Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*");

  private final Provider provider;
  private final String name;

  public AisBucket(Provider provider, String name) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.name = validate(provider, Objects.requireNonNull(name, "name"));
  }

  public static AisBucket ais(String name) {
    return new AisBucket(Provider.AIS, name);
  }

  private static String validate(Provider provider, String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Bucket name is empty");
    }
    if (name.startsWith("@") || name.contains("#")) {
      throw new IllegalArgumentException(
          "Bucket '"
              + name
              + "' names an AIS namespace (@uuid#namespace/bucket); namespaces are not "
              + "supported: use a bucket of the global namespace");
    }
    // Remote buckets follow their cloud's rules, which AIS checks; ais:// buckets follow AIS's own.
    if (provider == Provider.AIS && !AIS_BUCKET_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid bucket name '"
              + name
              + "': AIS bucket names use letters, digits, '-', '_' and '.',"
              + " and do not start with '.'");
    }
    return name;
  }

  public Provider provider() {
    return provider;
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AisBucket)) {
      return false;
    }
    AisBucket other = (AisBucket) o;
    return other.provider == provider && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, name);
  }

  @Override
  public String toString() {
    return provider.scheme() + "://" + name;
  }
}
