package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetPolicyTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1",
      "169.254.169.254", "169.254.0.1", "0.0.0.0", "0.1.2.3", "255.255.255.255", "100.64.0.1", "100.127.255.254",
      "::1", "::", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "fec0::1", "224.0.0.1", "ff02::1",
      "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "::127.0.0.1",
      "::10.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::192.168.0.1"})
  void privateLoopbackAndLinkLocalAddressesAreRefusedByDefault(String ip) throws Exception {
    InetAddress a = InetAddress.getByName(ip);
    assertThat(new TargetPolicy(false).refusal(a)).hasValueSatisfying(why ->
        assertThat(why).contains("not allowed").contains("HOOKLINE_ALLOW_PRIVATE_TARGETS"));
    assertThat(new TargetPolicy(true).refusal(a)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.0.1",
      "169.253.0.1", "11.0.0.1", "2606:2800:220:1::1", "::ffff:8.8.8.8", "64:ff9b::808:808"})
  void publicAddressesAreAllowed(String ip) throws Exception {
    assertThat(new TargetPolicy(false).refusal(InetAddress.getByName(ip))).isEmpty();
  }
}
