package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevTokenTest {

  @TempDir Path dataDir;

  @Test
  void secretIsGeneratedOnceAndKeptUnlessTheCallerSetsOne() throws Exception {
    String generated = DevToken.secret(null, dataDir);

    assertThat(generated).hasSizeGreaterThanOrEqualTo(32);
    assertThat(DevToken.secret("", dataDir)).isEqualTo(generated);
    assertThat(DevToken.secret("mine", dataDir)).isEqualTo("mine");
  }

  @Test
  void tokenIsAnHs256JwtWithThePortalAndEveryWebhookScope() throws Exception {
    Instant now = Instant.ofEpochSecond(1_700_000_000L);
    String token = DevToken.issue("s3cret-s3cret-s3cret-s3cret-s3cret", "zylker", now);

    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    Base64.Decoder decoder = Base64.getUrlDecoder();
    assertThat(new String(decoder.decode(parts[0]), StandardCharsets.UTF_8)).contains("\"alg\":\"HS256\"");
    assertThat(new String(decoder.decode(parts[1]), StandardCharsets.UTF_8))
        .contains("\"portal\":\"zylker\"")
        .contains("\"scope\":\"webhooks.READ webhooks.CREATE webhooks.UPDATE webhooks.DELETE\"")
        .contains("\"iat\":1700000000")
        .contains("\"exp\":" + now.plus(DevToken.VALIDITY).getEpochSecond());

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cret-s3cret-s3cret-s3cret-s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8));
    assertThat(decoder.decode(parts[2])).isEqualTo(expected);
  }

  @Test
  void secretsKeyIsA32ByteKeyGeneratedOnceKeptPrivateUnlessTheCallerSetsOne() throws Exception {
    String generated = DevToken.secretsKey(null, dataDir);

    assertThat(Base64.getDecoder().decode(generated)).hasSize(32);
    io.hookline.runtime.SecretCipher cipher = io.hookline.runtime.SecretCipher.fromBase64Key(generated, "key");
    assertThat(cipher.decrypt(cipher.encrypt("whsec_x", "1"), "1")).isEqualTo("whsec_x");
    assertThat(DevToken.secretsKey(" ", dataDir)).isEqualTo(generated);
    assertThat(DevToken.secretsKey("mine", dataDir)).isEqualTo("mine");
    assertThat(java.nio.file.Files.getPosixFilePermissions(dataDir.resolve("secrets-key")))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }
}
