package io.hookline.queryapi.webhooks;

/** No webhook with this id belongs to this portal (unknown ids and other portals' ids alike). */
public final class WebhookNotFoundException extends RuntimeException {

  public WebhookNotFoundException(String portal, String id) {
    super("Webhook '" + id + "' not found in portal '" + portal + "'");
  }
}
