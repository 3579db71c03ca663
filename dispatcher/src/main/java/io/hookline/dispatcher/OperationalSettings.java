package io.hookline.dispatcher;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the dispatcher watches endpoints for operators, already validated.
 *
 * @param disableAfter a webhook whose deliveries have all failed for this long is disabled; zero:
 *     never
 * @param webhookUrl where operational events are POSTed as signed webhooks; null: they are not
 * @param webhookSecret the {@code whsec_} secret signing them; required with a URL, never shown by
 *     {@link #toString()}
 * @param relayGroupId consumer group of the operational topic's reader that sends them; null: the
 *     dispatcher's group id with {@code -operational} appended
 */
public record OperationalSettings(Duration disableAfter, String webhookUrl, String webhookSecret, String relayGroupId) {

  public static final Duration DEFAULT_DISABLE_AFTER = Duration.ofDays(5);

  public OperationalSettings {
    Objects.requireNonNull(disableAfter, "disableAfter");
    if (disableAfter.isNegative()) {
      throw new IllegalArgumentException("hookline.disable-after (HOOKLINE_DISABLE_AFTER) must not be negative");
    }
    webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : webhookUrl.trim();
    webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? null : webhookSecret.trim();
    if (webhookUrl != null) {
      String scheme;
      try {
        scheme = URI.create(webhookUrl).getScheme();
      } catch (IllegalArgumentException e) {
        scheme = null;
      }
      if (scheme == null || !(scheme.toLowerCase(Locale.ROOT).equals("http") || scheme.toLowerCase(Locale.ROOT).equals("https"))) {
        throw new IllegalArgumentException(
            "hookline.operational-webhook-url (HOOKLINE_OPERATIONAL_WEBHOOK_URL) must be an http(s) URL");
      }
      if (webhookSecret == null || !webhookSecret.startsWith("whsec_")) {
        throw new IllegalArgumentException("hookline.operational-webhook-secret (HOOKLINE_OPERATIONAL_WEBHOOK_SECRET)"
            + " is required with an operational webhook URL, as whsec_<base64>");
      }
    }
  }

  /** Disable after 5 days, no operator URL. */
  public static OperationalSettings defaults() {
    return new OperationalSettings(DEFAULT_DISABLE_AFTER, null, null, null);
  }

  public String relayGroupId(String dispatcherGroupId) {
    return relayGroupId == null || relayGroupId.isBlank() ? dispatcherGroupId + "-operational" : relayGroupId;
  }

  @Override
  public String toString() {
    return "OperationalSettings[disableAfter=" + disableAfter + ", webhookUrl=" + webhookUrl + ", webhookSecret="
        + (webhookSecret == null ? "unset" : "***") + ", relayGroupId=" + relayGroupId + "]";
  }
}
