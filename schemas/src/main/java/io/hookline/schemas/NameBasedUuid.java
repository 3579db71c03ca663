package io.hookline.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based (version 3, MD5) UUIDs, the same as {@link UUID#nameUUIDFromBytes} of the name's
 * UTF-8 bytes, with one digest per thread: {@code nameUUIDFromBytes} looks MD5 up in the security
 * providers at every call, which costs more than the hash itself where ids are derived for every
 * record and execution.
 */
public final class NameBasedUuid {

  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is not available in this JVM", e);
    }
  });

  private NameBasedUuid() {}

  public static UUID of(String name) {
    byte[] hash = MD5.get().digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] &= 0x0f;
    hash[6] |= 0x30; // version 3
    hash[8] &= 0x3f;
    hash[8] |= (byte) 0x80; // IETF variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (hash[i] & 0xff);
      lsb = (lsb << 8) | (hash[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }
}
