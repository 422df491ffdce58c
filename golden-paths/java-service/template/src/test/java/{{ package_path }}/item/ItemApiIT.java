package {{ java_package }}.item;
{% if database != "none" or cache != "none" %}
import {{ java_package }}.TestcontainersConfiguration;
{%- endif %}
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
{%- if database == "postgresql" %}
import org.flywaydb.core.Flyway;
{%- endif %}
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
{%- if database != "none" or cache != "none" %}
import org.springframework.beans.factory.annotation.Autowired;
{%- endif %}
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
{%- if cache == "redis" %}
import org.springframework.cache.CacheManager;
{%- endif %}
{%- if database != "none" or cache != "none" %}
import org.springframework.context.annotation.Import;
{%- endif %}
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
{%- if database == "postgresql" %}
import org.springframework.jdbc.core.JdbcTemplate;
{%- endif %}
import org.springframework.web.client.RestClient;

/**
 * The whole application over HTTP{% if database != "none" or cache != "none" %}, against real {% if database == "postgresql" %}PostgreSQL{% endif %}{% if database != "none" and cache != "none" %} and {% endif %}{% if cache == "redis" %}Redis{% endif %}
 * (Testcontainers, or the services TestcontainersConfiguration says how to give){% endif %}.
 * Runs in `./mvnw verify` (failsafe: *IT classes).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
{%- if database != "none" or cache != "none" %}
@Import(TestcontainersConfiguration.class)
{%- endif %}
class ItemApiIT {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON =
            new ParameterizedTypeReference<>() { };

    @Value("${local.server.port}")
    private int port;
{%- if database == "postgresql" %}

    @Autowired
    private Flyway flyway;

    @Autowired
    private JdbcTemplate jdbc;
{%- endif %}
{%- if cache == "redis" %}

    @Autowired
    private CacheManager caches;
{%- endif %}

    private RestClient http;

    @BeforeEach
    void client() {
        http = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
{%- if cache == "redis" %}
        // A Redis that outlives the test run (CI's service container) may still hold
        // entries of an earlier run's ids.
        caches.getCache("items").clear();
{%- endif %}
    }
{%- if database == "postgresql" %}

    @Test
    void theSchemaIsFlywaysAndHibernateValidatedIt() {
        // The context started with ddl-auto=validate, so the entities match these tables.
        assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("1");
        assertThat(flyway.info().pending()).isEmpty();
    }
{%- endif %}

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
{%- if cache == "redis" %}

    @Test
    void aReadMissesTheCacheThenHitsIt() {
        long id = idOf(post("cached", "read twice"));
        assertThat(caches.getCache("items").get(id)).as("nothing cached before the first read").isNull();

        assertThat(http.get().uri("/api/items/{id}", id).retrieve().toEntity(JSON).getBody())
                .containsEntry("name", "cached");
        assertThat(caches.getCache("items").get(id)).as("the first read fills the cache").isNotNull();
{%- if database == "postgresql" %}

        // Changed behind the service's back: a hit still answers from Redis.
        jdbc.update("UPDATE item SET name = 'changed in the database' WHERE id = ?", id);
        assertThat(http.get().uri("/api/items/{id}", id).retrieve().toEntity(JSON).getBody())
                .containsEntry("name", "cached");
{%- endif %}

        http.delete().uri("/api/items/{id}", id).retrieve().toBodilessEntity();
        // After the commit, Spring evicts with Cache#evict, which may reach Redis a moment
        // later (its contract allows it): wait for it, briefly.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (caches.getCache("items").get(id) != null && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        assertThat(caches.getCache("items").get(id)).as("deleting evicts").isNull();
    }
{%- endif %}

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
{%- if cache == "redis" %}

    private static long idOf(ResponseEntity<Map<String, Object>> created) {
        return ((Number) created.getBody().get("id")).longValue();
    }
{%- endif %}
}
