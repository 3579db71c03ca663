package io.hookline.queryapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.TestTokens;
import io.hookline.testing.IntegrationTest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document the running API serves: generated from the controllers, public. */
@IntegrationTest
class OpenApiDocumentTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  @Test
  @SuppressWarnings("unchecked")
  void isServedWithoutATokenAndDescribesTheEndpointsWithTheirParametersAndTheBearerScheme() throws Exception {
    HttpResponse<String> r = get(null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
    Map<String, Object> doc = new Yaml().load(r.body());

    assertThat((String) doc.get("openapi")).startsWith("3.");
    Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
    assertThat(paths).containsKeys("/api/v2/{screenname}/webhooks", "/api/v2/{screenname}/webhooks/{id}",
        "/api/v2/{screenname}/webhooks/{id}/executions", "/health");
    assertThat(paths).as("every controller is in it, none registered by hand")
        .containsKeys("/api/v2/{screenname}/webhooks/{id}/executions/{execution_id}/retry",
            "/api/v2/{screenname}/webhooks/{id}/executions/retry", "/api/v2/{screenname}/webhooks/{id}/stats",
            "/api/v2/{screenname}/stats");
    assertThat(paths).doesNotContainKey("/openapi.yml");
    assertThat(r.body()).as("JSON trees are documented as objects, not Jackson internals").doesNotContain("JsonNode");
    assertThat((Map<String, Object>) paths.get("/api/v2/{screenname}/webhooks")).containsKeys("get", "post");
    assertThat((Map<String, Object>) paths.get("/api/v2/{screenname}/event-types")).containsKeys("get", "post");
    assertThat((Map<String, Object>) paths.get("/api/v2/{screenname}/event-types/{name}"))
        .containsKeys("get", "put", "delete");

    Map<String, Object> executions = (Map<String, Object>) ((Map<String, Object>) paths
        .get("/api/v2/{screenname}/webhooks/{id}/executions")).get("get");
    List<Map<String, Object>> parameters = (List<Map<String, Object>>) executions.get("parameters");
    assertThat(parameters).extracting(p -> p.get("name"))
        .contains("screenname", "id", "from_time", "to_time", "events", "limit", "pageno");
    Map<String, Object> limit = parameters.stream().filter(p -> p.get("name").equals("limit")).findFirst().orElseThrow();
    assertThat(limit.get("in")).isEqualTo("query");
    assertThat((Map<String, Object>) limit.get("schema")).containsEntry("type", "integer")
        .containsEntry("maximum", 50);
    assertThat(parameters.stream().filter(p -> p.get("name").equals("from_time")).findFirst().orElseThrow()
        .get("description").toString()).contains("epoch");

    Map<String, Object> attempts = (Map<String, Object>) ((Map<String, Object>) paths
        .get("/api/v2/{screenname}/webhooks/{id}/attempts")).get("get");
    assertThat((List<Map<String, Object>>) attempts.get("parameters")).extracting(p -> p.get("name"))
        .contains("screenname", "id", "status", "events", "from_time", "start_date", "to_time", "till_time", "end_date",
            "order", "limit", "offset", "cursor");
    assertThat(parameters).extracting(p -> p.get("name")).as("executions take a cursor too").contains("cursor");
    assertThat(attempts.get("description").toString()).contains("request_headers");
    assertThat(r.body()).as("the webhook's rate_limit is documented").contains("rate_limit");
    assertThat(r.body()).as("the webhook's ordering is documented").contains("ordering")
        .contains("strictly in publish order");

    Map<String, Object> live = (Map<String, Object>) ((Map<String, Object>) paths
        .get("/api/v2/{screenname}/failures/stream")).get("get");
    assertThat(((Map<String, Object>) ((Map<String, Object>) live.get("responses")).get("200")).get("content"))
        .asString().contains("text/event-stream");
    Map<String, Object> lastEventId = ((List<Map<String, Object>>) live.get("parameters")).stream()
        .filter(p -> p.get("name").equals("Last-Event-ID")).findFirst().orElseThrow();
    assertThat(lastEventId.get("in")).isEqualTo("header");

    Map<String, Object> stats = (Map<String, Object>) ((Map<String, Object>) paths
        .get("/api/v2/{screenname}/webhooks/{id}/stats")).get("get");
    assertThat((List<Map<String, Object>>) stats.get("parameters")).extracting(p -> p.get("name"))
        .contains("screenname", "id", "from_time", "to_time", "interval");

    Map<String, Object> webhook = (Map<String, Object>) paths.get("/api/v2/{screenname}/webhooks/{id}");
    for (String method : List.of("patch", "delete")) {
      Map<String, Object> change = (Map<String, Object>) webhook.get(method);
      Map<String, Object> ifMatch = ((List<Map<String, Object>>) change.get("parameters")).stream()
          .filter(p -> p.get("name").equals("If-Match")).findFirst().orElseThrow();
      assertThat(ifMatch.get("in")).as(method).isEqualTo("header");
      assertThat((Map<String, Object>) change.get("responses")).as(method).containsKey("412");
    }
    Map<String, Object> read = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) webhook.get("get"))
        .get("responses")).get("200");
    assertThat((Map<String, Object>) read.get("headers")).containsKey("ETag");

    Map<String, Object> schemes = (Map<String, Object>) ((Map<String, Object>) doc.get("components"))
        .get("securitySchemes");
    assertThat((Map<String, Object>) schemes.get("bearer")).containsEntry("type", "http")
        .containsEntry("scheme", "bearer");
    assertThat((List<Object>) doc.get("security")).containsExactly(Map.of("bearer", List.of()));
    Map<String, Object> health = (Map<String, Object>) ((Map<String, Object>) paths.get("/health")).get("get");
    assertThat(health.get("summary").toString()).as("/health needs no token").contains("no token");
  }

  @Test
  void aTokenIsNotNeededButDoesNoHarm() throws Exception {
    HttpResponse<String> r = get(TestTokens.forPortal("any"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("/api/v2/{screenname}/webhooks");
  }

  private static HttpResponse<String> get(String token) throws Exception {
    return api.get("/openapi.yml", token);
  }
}
