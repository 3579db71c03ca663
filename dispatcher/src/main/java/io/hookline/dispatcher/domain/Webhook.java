package io.hookline.dispatcher.domain;

import java.util.List;

/**
 * A subscription as the dispatcher uses it: where to POST, which events of which portal, whether
 * it is enabled, and the secrets that sign its requests.
 */
public record Webhook(String id, String portal, String url, List<String> events, boolean enabled,
    List<SigningSecret> secrets) {}
