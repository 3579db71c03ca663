package io.hookline.queryapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scale-out settings: where the others reach an instance, how many standby copies, and how long
 * a silent instance keeps its partitions.
 */
class ScaleOutSettingsTest {

  @Test
  void theAdvertisedAddressDefaultsToTheLoopbackAndTheHttpPort() {
    QueryApiConfiguration config = new QueryApiConfiguration();
    config.setHttpPort(8181);
    assertThat(config.getQueryAdvertisedUrl()).isEqualTo("127.0.0.1:8181");

    config.setQueryAdvertisedUrl(" query-2.hookline.svc:8080 ");
    assertThat(config.getQueryAdvertisedUrl()).isEqualTo("query-2.hookline.svc:8080");
    assertThat(config.getQueryStandbyReplicas()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"query-2", "query-2:", ":8080", "query-2:0", "query-2:65536", "http://query-2:8080",
      "query 2:8080", "query-2:80a"})
  void anAdvertisedAddressThatIsNotHostAndPortIsRefused(String value) {
    assertThatThrownBy(() -> new QueryApiConfiguration().setQueryAdvertisedUrl(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hookline.query-advertised-url");
  }

  @Test
  void aNegativeStandbyCountIsRefused() {
    assertThatThrownBy(() -> new QueryApiConfiguration().setQueryStandbyReplicas(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hookline.query-standby-replicas");
  }

  @Test
  void theSessionTimeoutDefaultsToKafkasAndMustBePositive() {
    QueryApiConfiguration config = new QueryApiConfiguration();
    assertThat(config.getQuerySessionTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThatThrownBy(() -> config.setQuerySessionTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hookline.query-session-timeout");
  }
}
