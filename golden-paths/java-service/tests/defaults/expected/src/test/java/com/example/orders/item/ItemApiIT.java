package com.example.orders.item;

import com.example.orders.TestcontainersConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The whole application over HTTP, against real PostgreSQL and Redis
 * started by Testcontainers. Runs in `mvn verify` (failsafe: *IT classes).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestcontainersConfiguration.class)
class ItemApiIT {

    @Autowired
    private TestRestTemplate http;

    @Test
    void createsThenReadsAnItem() {
        ResponseEntity<JsonNode> created = http.postForEntity(
                "/api/items", new ItemRequest("first", "from the integration test"), JsonNode.class);
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);

        ResponseEntity<JsonNode> read = http.getForEntity(created.getHeaders().getLocation(), JsonNode.class);
        assertThat(read.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(read.getBody().get("name").asText()).isEqualTo("first");
    }

    @Test
    void isReady() {
        ResponseEntity<String> health = http.getForEntity("/actuator/health/readiness", String.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
