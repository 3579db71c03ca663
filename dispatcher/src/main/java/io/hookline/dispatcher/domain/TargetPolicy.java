package io.hookline.dispatcher.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a webhook may be delivered to. Unless private targets are allowed, an address on
 * the loopback, a private or shared (CGNAT) network, a link-local one (cloud metadata services
 * live there) or an unspecified/multicast one is refused, so that subscribers cannot make Hookline
 * call into the network it runs in.
 */
public final class TargetPolicy {

  private final boolean allowPrivate;

  public TargetPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  public boolean allowsPrivate() {
    return allowPrivate;
  }

  /** Why {@code address} may not be called, or empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    if (allowPrivate) {
      return Optional.empty();
    }
    String what = kind(address);
    return what == null ? Optional.empty()
        : Optional.of(address.getHostAddress() + " is a " + what + " address; private targets are not allowed"
            + " (HOOKLINE_ALLOW_PRIVATE_TARGETS)");
  }

  private static String kind(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
      return "shared (CGNAT)";
    }
    if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
      return "private (unique local)";
    }
    return null;
  }
}
