package io.hookline.queryapi.auth.http;

/**
 * Why an authenticated caller was refused, kept on the request by {@link ScopeAndPortalRule} so the
 * 403 answer can say it.
 *
 * @param missingScope the scope the endpoint needs, when that is the reason; null otherwise
 */
record AccessDenial(String message, WebhookScope missingScope) {

  static AccessDenial missing(WebhookScope scope) {
    return new AccessDenial("The token does not grant the scope " + scope.claim() + " that this endpoint needs", scope);
  }

  static AccessDenial otherPortal(String screenname) {
    return new AccessDenial("The token may not act on portal '" + screenname + "'", null);
  }
}
