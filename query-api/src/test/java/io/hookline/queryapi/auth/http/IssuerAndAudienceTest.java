package io.hookline.queryapi.auth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IssuerAndAudienceTest {

  private final IssuerAndAudience both = new IssuerAndAudience("https://auth.example.com", "hookline-api");

  @Test
  void nothingIsCheckedWhenNeitherIsConfigured() {
    IssuerAndAudience none = new IssuerAndAudience(" ", null);
    assertThat(none.refusal(null, null)).isEmpty();
    assertThat(none.refusal("https://anyone", List.of("anything"))).isEmpty();
  }

  @Test
  void theIssuerMustBeEqualCharacterForCharacter() {
    assertThat(both.refusal("https://auth.example.com", "hookline-api")).isEmpty();
    assertThat(both.refusal("https://evil.auth.example.com", "hookline-api")).get().asString()
        .contains("issuer 'https://evil.auth.example.com' is not 'https://auth.example.com'");
    assertThat(both.refusal("http://auth.example.com", "hookline-api")).isPresent();
    assertThat(both.refusal("https://auth.example.com/", "hookline-api")).isPresent();
    assertThat(both.refusal("HTTPS://AUTH.EXAMPLE.COM", "hookline-api")).isPresent();
    assertThat(both.refusal(null, "hookline-api")).get().asString().contains("has no issuer (iss)");
  }

  @Test
  void theAudienceMayBeAStringOrAListThatContainsIt() {
    assertThat(both.refusal("https://auth.example.com", List.of("other", "hookline-api"))).isEmpty();
    assertThat(both.refusal("https://auth.example.com", List.of("other"))).get().asString()
        .contains("audience [other] does not include 'hookline-api'");
    assertThat(both.refusal("https://auth.example.com", "hookline-api-2")).isPresent();
    assertThat(both.refusal("https://auth.example.com", 42)).isPresent();
    assertThat(both.refusal("https://auth.example.com", null)).get().asString().contains("has no audience (aud)");
  }
}
