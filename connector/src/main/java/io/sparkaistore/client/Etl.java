package io.sparkaistore.client;

import java.io.Serializable;
import java.util.Objects;

/**
 * An inline ETL applied by AIS as it serves an object ({@code etl_name}, optional {@code
 * etl_args}). Clusters built without ETL support answer 501.
 */
public final class Etl implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String args;

  public Etl(String name, String args) {
    this.name = Objects.requireNonNull(name, "name");
    this.args = args;
  }

  public String name() {
    return name;
  }

  void addTo(AisRequest request) {
    request.query("etl_name", name);
    if (args != null) {
      request.query("etl_args", args);
    }
  }

  @Override
  public String toString() {
    return "Etl[" + name + (args == null ? "" : ", args=" + args) + "]";
  }
}
