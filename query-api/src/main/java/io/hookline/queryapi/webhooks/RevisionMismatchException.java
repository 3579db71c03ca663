package io.hookline.queryapi.webhooks;

/** A conditional change found the webhook at another revision than the caller expected (HTTP 412). */
public class RevisionMismatchException extends RuntimeException {

  private final long current;

  public RevisionMismatchException(String id, long current) {
    super("Webhook " + id + " has changed: it is at revision " + current + " (ETag \"" + current
        + "\"), not the one in If-Match; read it again and repeat the change if it still applies");
    this.current = current;
  }

  /** The webhook's latest revision, for the ETag of the refusal. */
  public long current() {
    return current;
  }
}
