package io.ordergate.cleanup;

/**
 * The order system's answer to one cancel request, or why there was none.
 *
 * @param status the HTTP status, or null when no answer came
 * @param error why no answer came, or null
 */
record CancelOutcome(Integer status, String error) {

  /**
   * How a cancel ended; {@link #state()} is the item state stored and the metric's {@code result}
   * tag.
   */
  public enum Result {
    CANCELLED("cancelled"),
    GONE("gone"),
    FAILED("failed");

    private final String state;

    Result(String state) {
      this.state = state;
    }

    public String state() {
      return state;
    }
  }

  public static CancelOutcome answered(int status) {
    return new CancelOutcome(status, null);
  }

  public static CancelOutcome noAnswer(String error) {
    return new CancelOutcome(null, error.length() > 300 ? error.substring(0, 300) : error);
  }

  /**
   * 2xx cancelled it; 404 and 410 mean it is gone already (an earlier attempt, or someone else);
   * anything else failed.
   */
  public Result result() {
    if (status == null) {
      return Result.FAILED;
    }
    if (status >= 200 && status < 300) {
      return Result.CANCELLED;
    }
    return status == 404 || status == 410 ? Result.GONE : Result.FAILED;
  }

  /** "HTTP 500" or the error, for logs and failure groups. */
  public String reason() {
    return status != null ? "HTTP " + status : error;
  }
}
