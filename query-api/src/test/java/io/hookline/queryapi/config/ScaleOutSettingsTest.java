package io.hookline.queryapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The two scale-out settings: where the others reach an instance, and how many standby copies. */
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
}
