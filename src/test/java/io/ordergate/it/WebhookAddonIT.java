package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.demo.UnleashServer;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.support.TestUnleash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The gateways' webhook addon in the real Unleash server. */
class WebhookAddonIT {

  @Test
  void addingTheGatewaysWebhookAgainUpdatesTheOneAddon() throws Exception {
    UnleashServer unleash = TestUnleash.shared();
    UnleashAdmin admin = TestUnleash.admin(unleash);
    String description = "gateways of WebhookAddonIT " + System.nanoTime();

    admin.addWebhook("http://127.0.0.1:9/ops/unleash-webhook", "first-token", description);
    // The demo restarted on its database adds its webhook again, maybe on another port.
    admin.addWebhook("http://127.0.0.1:10/ops/unleash-webhook", "second-token", description);

    int named = 0;
    JsonArray addons = listAddons(unleash).getJsonArray("addons");
    for (int i = 0; i < addons.size(); i++) {
      JsonObject addon = addons.getJsonObject(i);
      if (description.equals(addon.getString("description"))) {
        named++;
      }
    }
    assertThat(named).as("webhook addons named '%s'", description).isEqualTo(1);
  }

  private static JsonObject listAddons(UnleashServer unleash) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(unleash.baseUrl() + "/api/admin/addons"))
                    .header("Authorization", UnleashServer.ADMIN_TOKEN)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body());
  }
}
