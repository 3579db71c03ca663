package io.hookline.queryapi.webhooks.domain;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.schemas.CustomHeaders;
import io.hookline.schemas.EventPattern;
import java.util.Map;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * What makes a webhook's fields valid. Each check returns the value to store or throws an
 * {@link InvalidFieldException} whose message names the field, so callers can hand the message to
 * the user as it is.
 */
public final class WebhookRules {

  public static final int MAX_URL_LENGTH = 2048;
  public static final int MAX_EVENTS = 100;
  public static final int MAX_EVENT_LENGTH = 255;
  public static final int MIN_SECRET_BYTES = 24;
  public static final int MAX_SECRET_BYTES = 64;

  /** What {@link #ordering} accepts, in words. */
  public static final String ORDERING_RULE =
      "'ordering' must be \"key\" (the executions of one event key in publish order) or null (unordered)";

  private WebhookRules() {}

  /** An absolute http or https URL with a host, at most {@value #MAX_URL_LENGTH} characters. */
  /** The most deliveries per second a rate limit may allow. */
  public static final int MAX_RATE_LIMIT = 100_000;

  /** A rate limit: null (unlimited) or a whole number of deliveries per second from 1 to {@link #MAX_RATE_LIMIT}. */
  public static Integer rateLimit(Integer perSecond) {
    if (perSecond != null && (perSecond < 1 || perSecond > MAX_RATE_LIMIT)) {
      throw new InvalidFieldException("rate_limit",
          "'rate_limit' must be a whole number of deliveries per second from 1 to " + MAX_RATE_LIMIT + ", or null");
    }
    return perSecond;
  }

  public static String url(String url) {
    if (url.length() > MAX_URL_LENGTH) {
      throw new InvalidFieldException("url", "'url' must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidFieldException("url", "'url' must be an absolute http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new InvalidFieldException("url", "'url' must be an absolute http or https URL");
    }
    return url;
  }

  /**
   * One to {@value #MAX_EVENTS} event names, none blank or longer than {@value #MAX_EVENT_LENGTH}
   * characters; duplicates are dropped, the first occurrence keeps its place. An entry may be a
   * wildcard ({@link EventPattern}): {@code order.*} (every event named {@code order.<anything>}) or
   * {@code *} (every event); any other {@code *} is refused.
   */
  public static List<String> events(List<String> events) {
    if (events.isEmpty()) {
      throw new InvalidFieldException("events", "'events' must name at least one event");
    }
    if (events.size() > MAX_EVENTS) {
      throw new InvalidFieldException("events", "'events' must name at most " + MAX_EVENTS + " events");
    }
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      if (e == null || e.isBlank()) {
        throw new InvalidFieldException("events", "'events[" + i + "]' must not be blank");
      }
      if (e.length() > MAX_EVENT_LENGTH) {
        throw new InvalidFieldException(
            "events", "'events[" + i + "]' must be at most " + MAX_EVENT_LENGTH + " characters");
      }
      String problem = EventPattern.problem(e);
      if (problem != null) {
        throw new InvalidFieldException("events", "'events[" + i + "]' is not a valid event name or pattern: " + problem);
      }
    }
    return new ArrayList<>(new LinkedHashSet<>(events));
  }

  /**
   * An ordering as the API spells it: {@code "key"} ({@link Ordering#KEY}) or null ({@link Ordering#NONE}); anything
   * else, "none" included, is refused, so a webhook's ordering has one spelling, the one {@code GET} answers.
   */
  public static Ordering ordering(String value) {
    if (value == null) {
      return Ordering.NONE;
    }
    if (value.equals(Ordering.KEY.value())) {
      return Ordering.KEY;
    }
    throw new InvalidFieldException("ordering", ORDERING_RULE);
  }

  /**
   * Custom headers as {@link CustomHeaders} allows them: tokens for names, field values for values,
   * no reserved name, within its limits.
   */
  public static Map<String, String> headers(Map<String, String> headers) {
    String problem = CustomHeaders.problem(headers);
    if (problem != null) {
      throw new InvalidFieldException("headers", "'headers': " + problem);
    }
    return headers;
  }

  /**
   * {@code whsec_} followed by standard base64 that decodes to {@value #MIN_SECRET_BYTES} to
   * {@value #MAX_SECRET_BYTES} bytes, as the Standard Webhooks libraries expect.
   */
  public static String secret(String secret) {
    String rule = "'secret' must be '" + SigningSecret.PREFIX + "' followed by base64 of "
        + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " bytes";
    if (!secret.startsWith(SigningSecret.PREFIX)) {
      throw new InvalidFieldException("secret", rule);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(SigningSecret.PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("secret", rule);
    }
    if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
      throw new InvalidFieldException("secret", rule);
    }
    return secret;
  }
}
