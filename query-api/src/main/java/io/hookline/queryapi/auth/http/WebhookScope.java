package io.hookline.queryapi.auth.http;

/** The OAuth scopes of the webhooks API, as they appear in a token's space-separated scope claim. */
public enum WebhookScope {
  READ("webhooks.READ"),
  CREATE("webhooks.CREATE"),
  UPDATE("webhooks.UPDATE"),
  DELETE("webhooks.DELETE");

  private final String claim;

  WebhookScope(String claim) {
    this.claim = claim;
  }

  /** The scope's name in the token, e.g. {@code webhooks.READ}. */
  public String claim() {
    return claim;
  }
}
