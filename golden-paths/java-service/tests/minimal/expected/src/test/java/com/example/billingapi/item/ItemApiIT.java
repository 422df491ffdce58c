package com.example.billingapi.item;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * The whole application over HTTP.
 * Runs in `./mvnw verify` (failsafe: *IT classes).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ItemApiIT {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON =
            new ParameterizedTypeReference<>() { };

    @Value("${local.server.port}")
    private int port;

    private RestClient http;

    @BeforeEach
    void client() {
        http = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
    }

    @Test
    void createReadUpdateListDelete() {
        ResponseEntity<Map<String, Object>> created = post("first", "from the integration test");
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        URI location = created.getHeaders().getLocation();
        assertThat(location).isNotNull();

        ResponseEntity<Map<String, Object>> read = http.get().uri(location).retrieve().toEntity(JSON);
        assertThat(read.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(read.getBody()).containsEntry("name", "first");

        ResponseEntity<Map<String, Object>> updated = http.put().uri(location)
                .body(new ItemRequest("renamed", "changed")).retrieve().toEntity(JSON);
        assertThat(updated.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(http.get().uri(location).retrieve().toEntity(JSON).getBody())
                .containsEntry("name", "renamed");

        List<Map<String, Object>> all = http.get().uri("/api/items").retrieve()
                .body(new ParameterizedTypeReference<List<Map<String, Object>>>() { });
        assertThat(all).extracting(item -> item.get("name")).contains("renamed");

        assertThat(http.delete().uri(location).retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.NO_CONTENT);
        ResponseEntity<Map<String, Object>> gone = http.get().uri(location).retrieve().toEntity(JSON);
        assertThat(gone.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(gone.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    @Test
    void rejectsAnInvalidItemWithAProblem() {
        ResponseEntity<Map<String, Object>> rejected = post("", null);
        assertThat(rejected.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(rejected.getBody()).containsEntry("status", 400);
    }

    @Test
    void isLiveAndReady() {
        assertThat(http.get().uri("/actuator/health/liveness").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(http.get().uri("/actuator/health/readiness").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }

    private ResponseEntity<Map<String, Object>> post(String name, String description) {
        return http.post().uri("/api/items").body(new ItemRequest(name, description)).retrieve().toEntity(JSON);
    }
}
