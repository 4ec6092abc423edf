package org.moelab.kernel.jupyter;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The few W3C WebDriver calls the browser test needs, as plain HTTP to chromedriver: no Selenium, no downloads.
 */
final class WebDriver implements AutoCloseable {
    private static final Gson GSON = new Gson();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String session;

    private WebDriver(String base, String session) {
        this.base = base;
        this.session = session;
    }

    /** Opens headless Debian chromium through the chromedriver listening at {@code driverUrl}. */
    static WebDriver chromium(String driverUrl, List<String> chromiumArgs) throws IOException, InterruptedException {
        Map<String, Object> options = Map.of("binary", "/usr/bin/chromium", "args", chromiumArgs);
        Map<String, Object> capabilities = Map.of("capabilities",
                Map.of("alwaysMatch", Map.of("browserName", "chrome", "goog:chromeOptions", options)));
        JsonObject value = call(driverUrl + "/session", "POST", GSON.toJson(capabilities)).getAsJsonObject();
        return new WebDriver(driverUrl, value.get("sessionId").getAsString());
    }

    static boolean isReady(String driverUrl) {
        try {
            return call(driverUrl + "/status", "GET", null).getAsJsonObject().get("ready").getAsBoolean();
        } catch (IOException | InterruptedException | RuntimeException e) {
            return false;
        }
    }

    void open(String url) throws IOException, InterruptedException {
        call(sessionUrl("/url"), "POST", GSON.toJson(Map.of("url", url)));
    }

    /** Runs JavaScript in the page and returns its value. */
    JsonElement script(String javascript) throws IOException, InterruptedException {
        return call(sessionUrl("/execute/sync"), "POST", GSON.toJson(Map.of("script", javascript, "args", List.of())));
    }

    byte[] screenshot() throws IOException, InterruptedException {
        return Base64.getDecoder().decode(call(sessionUrl("/screenshot"), "GET", null).getAsString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        call(base + "/session/" + session, "DELETE", null);
    }

    private String sessionUrl(String path) {
        return base + "/session/" + session + path;
    }

    private static JsonElement call(String url, String method, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject json = JsonParser.parseString(response.body()).getAsJsonObject();
        if (response.statusCode() >= 400) {
            throw new IOException("WebDriver " + method + " " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return json.get("value");
    }
}
