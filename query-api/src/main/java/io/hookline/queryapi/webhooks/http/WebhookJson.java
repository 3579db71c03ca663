package io.hookline.queryapi.webhooks.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hookline.queryapi.webhooks.domain.SigningSecret;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the webhook endpoints, Zoho-style: snake_case names, times as epoch
 * milliseconds in strings, lists as {@code {"url", "object": "list", "data"}}. A secret appears only
 * in the answer to a create and on the secret endpoints. Empty lists are written out (Micronaut's
 * default would drop them), so an empty page reads {@code "data": []}.
 */
final class WebhookJson {

  private WebhookJson() {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Item(
      String id,
      String url,
      List<String> events,
      boolean enabled,
      @JsonProperty("created_time") String createdTime,
      @JsonProperty("modified_time") String modifiedTime,
      String portal,
      @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
      @JsonProperty("disabled_reason")
      @Schema(nullable = true, description = "Why Hookline disabled the webhook: its endpoint answered 410 Gone, or"
          + " every delivery failed for the disable-after period (HOOKLINE_DISABLE_AFTER). Null while enabled or when"
          + " disabled through the API; cleared by enabling it again.")
          String disabledReason,
      @JsonProperty("rate_limit")
      @Schema(nullable = true, minimum = "1", maximum = "100000", description = "At most this many deliveries per"
          + " second to the webhook, over all dispatcher instances (each second of the dispatcher's clock); excess"
          + " executions wait, in order. Null: unlimited. Set it on create or update; null removes it.")
          Integer rateLimit,
      @Schema(description = "Custom headers sent with every request to the webhook, name to value; {} for none."
          + " Reserved (400): webhook-id, webhook-timestamp, webhook-signature, content-type, content-length,"
          + " content-encoding, transfer-encoding, host, user-agent, hop-by-hop headers and any hookline-* name."
          + " Names are RFC 9110 tokens, values visible ASCII; at most 20 headers, 4096 characters in all")
          Map<String, String> headers,
      @Schema(nullable = true, allowableValues = "key", description = "How the webhook's executions are ordered."
          + " \"key\": the executions of one event key (the event's entity_id, else its record key) are delivered"
          + " strictly in publish order; while one waits for its retry the later ones of that key wait (other keys go"
          + " on), and once it is dead-lettered the next one goes. Slower than unordered: use it when receivers need"
          + " the order. Null: unordered, requests in parallel (the fastest). Set on create or update; null makes it unordered;"
          + " any other value is a 400")
          String ordering) {

    static Item of(Webhook w) {
      return new Item(w.id(), w.url(), w.events(), w.enabled(), millis(w.createdAt()), millis(w.modifiedAt()),
          w.portal(), null, w.disabledReason(), w.rateLimit(), w.headers(), w.ordering().value());
    }

    static Item withSecret(Webhook w) {
      Item item = of(w);
      return new Item(item.id, item.url, item.events, item.enabled, item.createdTime, item.modifiedTime, item.portal,
          w.currentSecret().map(SigningSecret::value).orElse(null), item.disabledReason, item.rateLimit, item.headers,
          item.ordering);
    }
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ItemList(String url, String object, List<Item> data) {

    static ItemList of(String url, List<Webhook> webhooks) {
      return new ItemList(url, "list", webhooks.stream().map(Item::of).toList());
    }
  }

  record Secret(String secret) {}

  /** The answer to a rotation: the new secret and until when the previous one keeps signing. */
  record RotatedSecret(
      String secret,
      @JsonProperty("previous_secret_expires_time") @JsonInclude(JsonInclude.Include.NON_NULL)
          String previousSecretExpiresTime) {

    static RotatedSecret of(Webhook rotated) {
      List<SigningSecret> secrets = rotated.secrets();
      String current = rotated.currentSecret().map(SigningSecret::value).orElseThrow();
      String previousExpiry = secrets.size() > 1 && secrets.get(1).expiresAt() != null
          ? millis(secrets.get(1).expiresAt())
          : null;
      return new RotatedSecret(current, previousExpiry);
    }
  }

  static String millis(Instant t) {
    return Long.toString(t.toEpochMilli());
  }
}
