package io.ordergate.traffic;

import io.ordergate.problem.Failure;

/**
 * Why the gateway refuses a request, with the facts the problem document shows. Mapped to a
 * response in one place ({@link Outcome#refuse}).
 *
 * @param source the source's id once the credential identified it, else null
 * @param closeConnection the connection cannot be trusted further (framing, body size)
 */
record Refusal(Failure failure, String detail, String source, boolean closeConnection)
    implements Admission.Result {
  /** Refusals that carry no request-specific fact are made once. */
  static final Refusal NOT_FOUND =
      new Refusal(Failure.NOT_FOUND, "Order Gate serves /orders only", null, false);

  static final Refusal MISSING_CREDENTIAL =
      new Refusal(
          Failure.MISSING_CREDENTIAL,
          "send the source's API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'",
          null,
          false);

  static final Refusal UNKNOWN_CREDENTIAL =
      new Refusal(
          Failure.UNKNOWN_CREDENTIAL,
          "the API key does not belong to any registered order source",
          null,
          false);

  static Refusal of(Failure failure, String detail) {
    return new Refusal(failure, detail, null, false);
  }

  static Refusal of(Failure failure, String detail, String source) {
    return new Refusal(failure, detail, source, false);
  }

  static Refusal closing(Failure failure, String detail, String source) {
    return new Refusal(failure, detail, source, true);
  }

  Refusal withSource(String id) {
    return new Refusal(failure, detail, id, closeConnection);
  }
}
