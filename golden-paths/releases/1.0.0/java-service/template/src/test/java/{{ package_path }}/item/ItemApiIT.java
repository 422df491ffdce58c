package {{ java_package }}.item;
{% if database != "none" or cache != "none" %}
import {{ java_package }}.TestcontainersConfiguration;
{%- endif %}
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
{%- if database != "none" or cache != "none" %}
import org.springframework.context.annotation.Import;
{%- endif %}
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The whole application over HTTP{% if database != "none" or cache != "none" %}, against real {% if database == "postgresql" %}PostgreSQL{% endif %}{% if database != "none" and cache != "none" %} and {% endif %}{% if cache == "redis" %}Redis{% endif %}
 * started by Testcontainers{% endif %}. Runs in `mvn verify` (failsafe: *IT classes).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
{%- if database != "none" or cache != "none" %}
@Import(TestcontainersConfiguration.class)
{%- endif %}
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
