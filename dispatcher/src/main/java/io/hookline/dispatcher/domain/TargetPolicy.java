package io.hookline.dispatcher.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a webhook may be delivered to. Unless private targets are allowed, an address on
 * the loopback (127/8, ::1), a private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10) or shared
 * (CGNAT 100.64/10) network, a link-local one (169.254/16 with the 169.254.169.254 cloud metadata
 * service, fe80::/10), "this network" (0/8, ::), broadcast or multicast is refused, so that
 * subscribers cannot make Hookline call into the network it runs in. IPv6 forms that carry an IPv4
 * address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d) are
 * judged by that IPv4 address.
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

  private static String kind(InetAddress address) {
    InetAddress a = embeddedIpv4(address);
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
    if (a instanceof Inet4Address && b[0] == 0) {
      return "unspecified (0.0.0.0/8)";
    }
    if (a instanceof Inet4Address && (b[0] & 0xff) == 255 && (b[1] & 0xff) == 255 && (b[2] & 0xff) == 255
        && (b[3] & 0xff) == 255) {
      return "broadcast";
    }
    if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
      return "private (unique local)";
    }
    return null;
  }

  /** The IPv4 address an IPv6 address carries (IPv4-compatible or NAT64), else the address itself. */
  private static InetAddress embeddedIpv4(InetAddress a) {
    if (!(a instanceof Inet6Address)) {
      return a;
    }
    byte[] b = a.getAddress();
    boolean compatible = true;
    for (int i = 0; i < 12; i++) {
      compatible &= b[i] == 0;
    }
    // ::ffff:a.b.c.d is already an Inet4Address in Java; :: and ::1 keep their IPv6 meaning.
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    boolean ipv6Special = compatible && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1);
    if ((compatible && !ipv6Special) || nat64) {
      try {
        return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    return a;
  }
}
