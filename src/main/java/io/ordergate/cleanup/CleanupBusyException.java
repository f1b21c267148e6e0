package io.ordergate.cleanup;

/** Another execution (here or on another replica) holds the source's clean-up lock. */
public final class CleanupBusyException extends RuntimeException {
  public CleanupBusyException(String message) {
    super(message, null, false, false);
  }
}
