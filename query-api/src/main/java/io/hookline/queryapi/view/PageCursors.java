package io.hookline.queryapi.view;

import io.hookline.queryapi.domain.InvalidFieldException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a page position into the opaque {@code cursor} text a client passes back, and back again.
 * The text is URL-safe base64 of a version, the direction ({@link PageStart.After} or
 * {@link PageStart.Before}), the position and an HMAC-SHA256 tag over all of them plus the query's
 * binding (which list, which webhook, which filters). A cursor therefore only opens the list it came
 * from: a cursor that was altered, made up, cut short, or taken from another webhook, endpoint or
 * set of filters is refused as a bad {@code cursor} parameter (400), never read as a position. The
 * page size may change between pages. Every instance configured with the same key accepts the
 * others' cursors, and cursors survive restarts.
 */
public final class PageCursors {

  public static final String PARAMETER = "cursor";

  private static final byte VERSION = 1;
  private static final byte AFTER = 'A';
  private static final byte BEFORE = 'B';
  private static final int TAG_BYTES = 16;
  private static final int MAX_TEXT = 2048;
  private static final String MAC = "HmacSHA256";

  private final SecretKeySpec key;

  /** Cursors tagged with a key derived from {@code secret} (at least 16 bytes). */
  public PageCursors(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("The cursor key needs at least 16 bytes, had " + secret.length);
    }
    // A key of its own, so that cursor tags never equal anything else computed from the secret.
    this.key = new SecretKeySpec(hmac(new SecretKeySpec(secret, MAC), "hookline page cursor key".getBytes(
        StandardCharsets.UTF_8)), MAC);
  }

  /** The cursor text of {@code start} (After or Before) for the query described by {@code binding}. */
  public String encode(PageStart start, String binding) {
    byte direction;
    byte[] position;
    if (start instanceof PageStart.After after) {
      direction = AFTER;
      position = after.position();
    } else if (start instanceof PageStart.Before before) {
      direction = BEFORE;
      position = before.position();
    } else {
      throw new IllegalArgumentException("Only positions have cursors, not " + start);
    }
    byte[] body = ByteBuffer.allocate(2 + position.length).put(VERSION).put(direction).put(position).array();
    byte[] tag = tag(body, binding);
    byte[] all = ByteBuffer.allocate(body.length + TAG_BYTES).put(body).put(tag).array();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
  }

  /** The page start {@code text} stands for, if it was made by {@link #encode} for this binding. */
  public PageStart decode(String text, String binding) {
    if (text == null || text.isBlank()) {
      throw invalid("'cursor' must not be empty; leave it out to start at the first page");
    }
    if (text.length() > MAX_TEXT) {
      throw invalid("'cursor' is not a cursor this API gave out (too long)");
    }
    byte[] all;
    try {
      all = Base64.getUrlDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw invalid("'cursor' is not a cursor this API gave out (not URL-safe base64)");
    }
    if (all.length < 2 + TAG_BYTES + 1) {
      throw invalid("'cursor' is not a cursor this API gave out (too short)");
    }
    byte[] body = Arrays.copyOf(all, all.length - TAG_BYTES);
    byte[] tag = Arrays.copyOfRange(all, all.length - TAG_BYTES, all.length);
    if (!MessageDigest.isEqual(tag, tag(body, binding))) {
      throw invalid("'cursor' does not belong to this list: it was altered, or it comes from another webhook,"
          + " endpoint or set of filters (keep the filters of the page that gave it)");
    }
    if (body[0] != VERSION) {
      throw invalid("'cursor' has an unknown version");
    }
    byte[] position = Arrays.copyOfRange(body, 2, body.length);
    return switch (body[1]) {
      case AFTER -> new PageStart.After(position);
      case BEFORE -> new PageStart.Before(position);
      default -> throw invalid("'cursor' has an unknown direction");
    };
  }

  private byte[] tag(byte[] body, String binding) {
    byte[] bound = binding.getBytes(StandardCharsets.UTF_8);
    byte[] message = ByteBuffer.allocate(body.length + 1 + bound.length).put(body).put((byte) 0).put(bound).array();
    return Arrays.copyOf(hmac(key, message), TAG_BYTES);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(key);
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static InvalidFieldException invalid(String message) {
    return new InvalidFieldException(PARAMETER, message);
  }
}
