package io.ordergate.cli;

/**
 * A command failed for a reason the operator can act on: printed as one line {@code order-gate: …},
 * exit code 2, no stack trace.
 */
public final class CliFailure extends RuntimeException {
  public CliFailure(String message) {
    super(message, null, false, false);
  }
}
