package io.ordergate.config;

/** A setting is missing or invalid; the message always names the variable. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String variable, String problem) {
    super(variable + " " + problem);
  }
}
