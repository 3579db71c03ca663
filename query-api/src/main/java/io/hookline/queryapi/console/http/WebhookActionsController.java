package io.hookline.queryapi.console.http;

import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.console.ConsoleFormat;
import io.hookline.queryapi.console.CsrfTokens;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.http.ExecutionsParameters;
import io.hookline.queryapi.replay.ExecutionRetryService;
import io.hookline.queryapi.replay.domain.Resend;
import io.hookline.queryapi.webhooks.WebhookService;
import io.hookline.queryapi.webhooks.domain.SigningSecret;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.queryapi.webhooks.domain.WebhookChanges;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The console's actions on a webhook, each needing the scope its API endpoint needs
 * ({@code webhooks.UPDATE} for retry, bulk replay, enable/disable and secret rotation) and each a
 * form posted with the session's CSRF token (else a 403 page). Each answers with a page that says
 * what happened. Bulk replay is two steps: a confirmation page that says how many executions the
 * filter selects, then the POST that queues them.
 */
@Hidden
@Controller("/console/{screenname}/webhooks/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WebhookActionsController {

  private final ConsolePages pages;
  private final CsrfTokens csrfTokens;
  private final WebhookService webhooks;
  private final FailedExecutionsView failures;
  private final ExecutionRetryService retries;

  public WebhookActionsController(ConsolePages pages, CsrfTokens csrfTokens, WebhookService webhooks,
      FailedExecutionsView failures, ExecutionRetryService retries) {
    this.pages = pages;
    this.csrfTokens = csrfTokens;
    this.webhooks = webhooks;
    this.failures = failures;
    this.retries = retries;
  }

  @Post("/enabled")
  @RequiresScope(WebhookScope.UPDATE)
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> setEnabled(@PathVariable String screenname, @PathVariable String id,
      @Body @Nullable Map<String, String> form, HttpRequest<?> request) {
    String back = ConsoleLinks.webhook(screenname, id);
    return checked(request, form, back, () -> {
      boolean enabled = "true".equals(field(form, "enabled"));
      Webhook updated = webhooks.update(screenname, id,
          new WebhookChanges(Optional.empty(), Optional.empty(), Optional.of(enabled)));
      return done(request, updated.enabled() ? "Webhook enabled" : "Webhook disabled",
          "Webhook " + id + " (" + updated.url() + ") is now " + (updated.enabled() ? "enabled" : "disabled")
              + "; events published from now on are " + (updated.enabled() ? "" : "not ") + "delivered to it.",
          back);
    });
  }

  @Post("/secret/rotate")
  @RequiresScope(WebhookScope.UPDATE)
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> rotateSecret(@PathVariable String screenname, @PathVariable String id,
      @Body @Nullable Map<String, String> form, HttpRequest<?> request) {
    String back = ConsoleLinks.webhook(screenname, id);
    return checked(request, form, back, () -> {
      Webhook rotated = webhooks.rotateSecret(screenname, id);
      Map<String, Object> model = new HashMap<>();
      model.put("message", "The new secret signs every request from now on. The previous secret keeps signing"
          + " alongside it" + rotated.secrets().stream().skip(1).findFirst().map(SigningSecret::expiresAt)
              .map(t -> " until " + ConsoleFormat.time(t.toEpochMilli())).orElse("")
          + ". This page shows the new secret once: copy it to the receiver now.");
      model.put("secret", rotated.currentSecret().map(SigningSecret::value).orElseThrow());
      model.put("backHref", back);
      model.put("backLabel", "Back to the webhook");
      model.put("status", 200);
      return pages.page(request, "message", "Secret rotated", model);
    });
  }

  /** How many failed executions a bulk replay with this filter re-sends, and the form that does it. */
  @Get("/replay")
  @RequiresScope(WebhookScope.READ)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> confirmReplay(@PathVariable String screenname, @PathVariable String id,
      @QueryValue("from_time") @Nullable String fromTime, @QueryValue("to_time") @Nullable String toTime,
      @QueryValue @Nullable String events, HttpRequest<?> request) {
    String back = ConsoleLinks.webhook(screenname, id);
    return pages.answer(request, back, () -> {
      FailedExecutionQuery filter = ExecutionsParameters.filter(id, WebhookFilters.localToUtc(blank(fromTime)),
          WebhookFilters.localToUtc(blank(toTime)), blank(events));
      Webhook webhook = webhooks.get(screenname, id);
      int matching = failures.page(new FailedExecutionQuery(id, filter.fromTime(), filter.toTime(), filter.events(),
          ExecutionRetryService.MAX_BATCH + 1, 1)).items().size();
      Map<String, Object> model = new HashMap<>();
      model.put("portal", screenname);
      model.put("webhook", webhook);
      model.put("count", Math.min(matching, ExecutionRetryService.MAX_BATCH));
      model.put("more", matching > ExecutionRetryService.MAX_BATCH);
      model.put("fromTime", blank(fromTime));
      model.put("toTime", blank(toTime));
      model.put("events", blank(events));
      model.put("backHref", back);
      model.put("action", back + "/replay");
      return pages.page(request, "replay", "Replay failed executions of webhook " + id, model);
    });
  }

  @Post("/replay")
  @RequiresScope(WebhookScope.UPDATE)
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> replay(@PathVariable String screenname, @PathVariable String id,
      @Body @Nullable Map<String, String> form, HttpRequest<?> request) {
    String back = ConsoleLinks.webhook(screenname, id);
    return checked(request, form, back, () -> {
      FailedExecutionQuery filter = ExecutionsParameters.filter(id,
          WebhookFilters.localToUtc(blank(field(form, "from_time"))),
          WebhookFilters.localToUtc(blank(field(form, "to_time"))), blank(field(form, "events")));
      ExecutionRetryService.Resent resent = retries.retryMatching(screenname, filter);
      String more = resent.nextToTime().isPresent()
          ? " More executions match: open the replay again with to_time " + resent.nextToTime().getAsLong()
              + " to queue the next batch."
          : "";
      return done(request, "Replay queued", resent.requests().size() + " failed execution"
          + (resent.requests().size() == 1 ? " was" : "s were") + " queued for redelivery. Each leaves the failed"
          + " list once it is delivered." + more, back);
    });
  }

  @Post("/executions/{executionId}/retry")
  @RequiresScope(WebhookScope.UPDATE)
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> retry(@PathVariable String screenname, @PathVariable String id,
      @PathVariable String executionId, @Body @Nullable Map<String, String> form, HttpRequest<?> request) {
    String back = ConsoleLinks.execution(screenname, id, executionId);
    return checked(request, form, back, () -> {
      Resend queued = retries.retry(screenname, id, executionId);
      return done(request, "Retry queued", "Execution " + executionId + " was queued for redelivery as attempt "
          + queued.attempt() + ". Once it is delivered it leaves the failed list.",
          ConsoleLinks.webhook(screenname, id));
    });
  }

  /** A field of a posted form; null when it is missing, or when the request had no form at all. */
  private static String field(Map<String, String> form, String name) {
    return form == null ? null : form.get(name);
  }

  private MutableHttpResponse<String> checked(HttpRequest<?> request, Map<String, String> form, String back,
      Supplier<MutableHttpResponse<String>> action) {
    if (!ConsoleSession.csrfAccepted(request, csrfTokens, field(form, CsrfTokens.FIELD))) {
      return pages.csrfRefused(request);
    }
    return pages.answer(request, back, action);
  }

  private MutableHttpResponse<String> done(HttpRequest<?> request, String title, String message, String back) {
    return pages.message(request, HttpStatus.OK, title, message, back, "Back");
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
