package io.hookline.dispatcher.adapter.out.http;

import io.hookline.dispatcher.domain.TargetPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The name resolution the webhook client connects with: the addresses a lookup returns are checked
 * against the {@link TargetPolicy} and handed to the client only if every one of them may be called,
 * so the client connects to exactly the addresses that were checked. A refused name fails with
 * {@link RefusedTarget}, naming the address and why. Lookups go through the JVM's resolver and its
 * cache ({@code networkaddress.cache.ttl}, 30 s by default).
 */
final class GuardedResolver implements DnsResolver {

  /** A name lookup: every address of {@code host} (an IP literal is its own answer). */
  @FunctionalInterface
  interface Lookup {
    InetAddress[] addresses(String host) throws UnknownHostException;
  }

  /** The JVM's resolver. */
  static final Lookup SYSTEM = InetAddress::getAllByName;

  private final Lookup dns;
  private final TargetPolicy policy;

  GuardedResolver(Lookup dns, TargetPolicy policy) {
    this.dns = dns;
    this.policy = policy;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses = dns.addresses(name);
    for (InetAddress a : addresses) {
      Optional<String> why = policy.refusal(a);
      if (why.isPresent()) {
        throw new RefusedTarget(host + ": " + why.get());
      }
    }
    return addresses;
  }

  @Override
  public String resolveCanonicalHostname(String host) {
    return host;
  }

  /** A name that resolves to an address the policy refuses. */
  static final class RefusedTarget extends UnknownHostException {
    RefusedTarget(String message) {
      super(message);
    }
  }
}
