package io.ordergate.flags;

/** Where the flags in force came from. */
public enum FlagOrigin {
  BOOTSTRAP,
  BACKUP,
  SERVER,
  FILE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
