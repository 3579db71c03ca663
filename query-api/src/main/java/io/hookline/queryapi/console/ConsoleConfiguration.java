package io.hookline.queryapi.console;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The console's settings ({@code hookline.console.*} in application.yml, each overridable by its
 * {@code HOOKLINE_CONSOLE_*} environment variable).
 */
@ConfigurationProperties("hookline.console")
public class ConsoleConfiguration {

  private boolean secureCookie;

  /**
   * Whether the session cookie is always marked {@code Secure}. Without it the cookie is {@code Secure}
   * when the request came over TLS; set it when a proxy in front terminates TLS
   * (HOOKLINE_CONSOLE_SECURE_COOKIE).
   */
  public boolean isSecureCookie() {
    return secureCookie;
  }

  public void setSecureCookie(boolean secureCookie) {
    this.secureCookie = secureCookie;
  }
}
