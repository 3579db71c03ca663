package io.hookline.queryapi.graphql;

import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.graphql.UndeliveredNotificationsQuery.Position;
import jakarta.inject.Singleton;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque cursors of {@code undeliveredNotifications}: the position of a page's last notification
 * (creation time, webhook id, execution id), not an offset, so the next page continues right after
 * it however many failures arrive or leave meanwhile. A cursor is bound to the query that issued it
 * (portal, event type, creation range) and signed with HMAC-SHA256 under a key derived from
 * {@code HOOKLINE_SECRETS_KEY}, which every instance shares: any instance accepts any instance's
 * cursor, across restarts, and a forged, altered or foreign cursor is refused, never misread.
 *
 * <p>Layout before base64url: version byte, creation time (8 bytes), webhook id and execution id
 * (each a 2-byte length and UTF-8), then the first 16 bytes of the MAC over all that and the query.
 */
@Singleton
public class NotificationCursors {

  private static final byte VERSION = 1;
  private static final int MAC_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public NotificationCursors(QueryApiConfiguration config) {
    this(Base64.getDecoder().decode(config.getSecretsKey()));
  }

  NotificationCursors(byte[] secretsKey) {
    this.key = new SecretKeySpec(mac(new SecretKeySpec(secretsKey, ALGORITHM),
        "hookline graphql cursor v1".getBytes(StandardCharsets.UTF_8)), ALGORITHM);
  }

  /** The cursor that continues {@code query} after {@code position}. */
  String encode(Position position, String query) {
    byte[] webhook = position.webhookId().getBytes(StandardCharsets.UTF_8);
    byte[] execution = position.executionId().getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(1 + Long.BYTES + 2 + webhook.length + 2 + execution.length)
        .put(VERSION)
        .putLong(position.creationTime())
        .putShort((short) webhook.length).put(webhook)
        .putShort((short) execution.length).put(execution);
    byte[] signed = Arrays.copyOf(body.array(), body.capacity() + MAC_BYTES);
    System.arraycopy(signature(body.array(), query), 0, signed, body.capacity(), MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
  }

  /** The position {@code cursor} holds, if this service issued it for {@code query}. */
  Position decode(String cursor, String query) {
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(cursor);
      if (bytes.length <= MAC_BYTES + 1 || bytes[0] != VERSION) {
        throw forged();
      }
      byte[] body = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
      byte[] mac = Arrays.copyOfRange(bytes, body.length, bytes.length);
      if (!MessageDigest.isEqual(mac, signature(body, query))) {
        throw forged();
      }
      ByteBuffer in = ByteBuffer.wrap(body, 1, body.length - 1);
      long creationTime = in.getLong();
      String webhookId = text(in);
      String executionId = text(in);
      return new Position(creationTime, webhookId, executionId);
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      throw forged();
    }
  }

  private static String text(ByteBuffer in) {
    byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private byte[] signature(byte[] body, String query) {
    byte[] q = query.getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(body, body.length + q.length);
    System.arraycopy(q, 0, all, body.length, q.length);
    return Arrays.copyOf(mac(key, all), MAC_BYTES);
  }

  private static byte[] mac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static InvalidFieldException forged() {
    return new InvalidFieldException("cursor", "Argument 'cursor' is not a cursor this API returned for this query"
        + " (same portal and filters); leave it out to start from the first page");
  }
}
