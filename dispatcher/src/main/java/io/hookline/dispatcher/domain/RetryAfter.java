package io.hookline.dispatcher.domain;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * The value of an HTTP {@code Retry-After} header (RFC 9110, section 10.2.3): either
 * delta-seconds (a non-negative whole number of seconds) or an HTTP-date in the IMF-fixdate form
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}). The obsolete RFC 850 and asctime date forms, negative or
 * fractional numbers and anything else are not understood.
 */
public final class RetryAfter {

  /** Longer than any pause worth honouring, so the arithmetic below never overflows. */
  private static final long MAX_SECONDS = 10L * 365 * 24 * 3600;

  private RetryAfter() {}

  /**
   * The epoch ms the header asks to wait until, seen at {@code nowMillis} (a date in the past is
   * returned as it is); empty when the value is not understood.
   */
  public static OptionalLong until(String value, long nowMillis) {
    if (value == null) {
      return OptionalLong.empty();
    }
    String v = value.trim();
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Leading zeros and huge values are valid delta-seconds; anything over ten years is as good as forever.
      String digits = v.replaceFirst("^0+(?=.)", "");
      long seconds = digits.length() > 12 ? MAX_SECONDS : Math.min(Long.parseLong(digits), MAX_SECONDS);
      return OptionalLong.of(nowMillis + seconds * 1000);
    }
    try {
      return OptionalLong.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli());
    } catch (DateTimeParseException e) {
      return OptionalLong.empty();
    }
  }
}
