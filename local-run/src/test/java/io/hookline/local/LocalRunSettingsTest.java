package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalRunSettingsTest {

  @Test
  void defaultsAreTheDocumentedPorts() {
    LocalRunSettings settings = LocalRunSettings.parse(new String[0], Map.of());

    assertThat(settings.kafkaPort()).isEqualTo(9092);
    assertThat(settings.httpPort()).isEqualTo(8080);
    assertThat(settings.dataDir()).isEqualTo(Path.of(".hookline-local").toAbsolutePath());
    assertThat(settings.readyTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.portal()).isEqualTo("zylker");
    assertThat(settings.schemaRegistry()).isFalse();
  }

  @Test
  void theSchemaRegistryIsAFlagOrAVariable() {
    assertThat(LocalRunSettings.parse(new String[] {"--schema-registry", "--http-port", "0"}, Map.of()))
        .extracting(LocalRunSettings::schemaRegistry, LocalRunSettings::httpPort)
        .containsExactly(true, 0);
    assertThat(LocalRunSettings.parse(new String[0], Map.of("HOOKLINE_LOCAL_SCHEMA_REGISTRY", "true")).schemaRegistry())
        .isTrue();
    assertThatThrownBy(() -> LocalRunSettings.parse(new String[0], Map.of("HOOKLINE_LOCAL_SCHEMA_REGISTRY", "yes")))
        .hasMessageContaining("HOOKLINE_LOCAL_SCHEMA_REGISTRY")
        .hasMessageContaining("yes");
  }

  @Test
  void optionsWinOverEnvironmentVariables() {
    LocalRunSettings settings =
        LocalRunSettings.parse(
            new String[] {"--kafka-port", "0", "--data-dir", "/tmp/h"},
            Map.of(
                "HOOKLINE_LOCAL_KAFKA_PORT", "19092",
                "HOOKLINE_HTTP_PORT", "18080",
                "HOOKLINE_LOCAL_READY_TIMEOUT", "2m",
                "HOOKLINE_LOCAL_DIR", "/tmp/ignored"));

    assertThat(settings.kafkaPort()).isZero();
    assertThat(settings.httpPort()).isEqualTo(18080);
    assertThat(settings.readyTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/h"));
    assertThat(settings.logDir()).isEqualTo(Path.of("/tmp/h/logs"));
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> LocalRunSettings.parse(new String[] {"--http-port", "eighty"}, Map.of()))
        .hasMessageContaining("HTTP port")
        .hasMessageContaining("eighty");
    assertThatThrownBy(() -> LocalRunSettings.parse(new String[] {"--kafka-port", "70000"}, Map.of()))
        .hasMessageContaining("kafka port");
    assertThatThrownBy(() -> LocalRunSettings.parse(new String[] {"--nope", "1"}, Map.of()))
        .hasMessageContaining("--nope");
    assertThatThrownBy(() -> LocalRunSettings.parse(new String[] {"--portal", "a\"b"}, Map.of()))
        .hasMessageContaining("portal");
  }
}
