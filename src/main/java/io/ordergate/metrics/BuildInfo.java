package io.ordergate.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version this build was made from (Maven's project version, filtered into {@code
 * order-gate-build.properties}); {@code dev} when run from classes that were not built by Maven.
 */
public final class BuildInfo {
  private static final String VERSION = load();

  private BuildInfo() {}

  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("/order-gate-build.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "");
      return v.isBlank() || v.startsWith("${") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }
}
