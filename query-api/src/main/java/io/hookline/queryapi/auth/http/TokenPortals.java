package io.hookline.queryapi.auth.http;

import io.micronaut.security.authentication.Authentication;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The portals a bearer token may act on, from its {@code portal} claim: one screenname as a string,
 * or several as a list of strings (an operator's or agency's token). Anything else grants none.
 * Comparisons are exact.
 */
public final class TokenPortals {

  static final String PORTAL_CLAIM = "portal";

  private TokenPortals() {}

  /** The token's portals in claim order; empty when the claim is missing or malformed. */
  public static Set<String> of(Authentication authentication) {
    Object claim = authentication.getAttributes().get(PORTAL_CLAIM);
    Set<String> portals = new LinkedHashSet<>();
    if (claim instanceof String portal) {
      portals.add(portal);
    } else if (claim instanceof Collection<?> list) {
      list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(portals::add);
    }
    portals.removeIf(String::isEmpty);
    return portals;
  }
}
