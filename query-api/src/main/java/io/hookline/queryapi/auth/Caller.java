package io.hookline.queryapi.auth;

import java.util.Objects;

/**
 * Who asked the question being answered, as far as answering it on another instance needs: the
 * portal the caller acts for and the bearer token it presented, which is forwarded with the
 * question so that the other instance authenticates and authorises the caller itself (there is no
 * trusted internal channel). {@code forwarded} is true when this instance is itself answering for
 * another one; such a question is answered here or not at all, never forwarded again.
 */
public record Caller(String portal, String bearerToken, boolean forwarded) {

  public Caller {
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(bearerToken, "bearerToken");
  }

  @Override
  public String toString() {
    return "Caller[portal=" + portal + ", forwarded=" + forwarded + "]";
  }
}
