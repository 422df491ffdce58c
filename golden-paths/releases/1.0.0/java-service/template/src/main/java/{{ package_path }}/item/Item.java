package {{ java_package }}.item;
{% if database == "postgresql" %}
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
{%- endif %}
{%- if cache == "redis" %}
import java.io.Serializable;
{%- endif %}
import java.time.Instant;

/** The example entity: rename it to the first noun of your domain. */
{%- if database == "postgresql" %}
@Entity
@Table(name = "item")
{%- endif %}
public class Item{% if cache == "redis" %} implements Serializable{% endif %} {
{%- if cache == "redis" %}

    private static final long serialVersionUID = 1L;
{%- endif %}
{% if database == "postgresql" %}
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
{%- endif %}
    private Long id;
{% if database == "postgresql" %}
    @Column(nullable = false, length = 200)
{%- endif %}
    private String name;
{% if database == "postgresql" %}
    @Column(length = 2000)
{%- endif %}
    private String description;
{% if database == "postgresql" %}
    @Column(name = "created_at", nullable = false, updatable = false)
{%- endif %}
    private Instant createdAt;

    protected Item() {
    }

    public Item(String name, String description) {
        this.name = name;
        this.description = description;
        this.createdAt = Instant.now();
    }

    public Long getId() {
        return id;
    }
{%- if database == "none" %}

    void setId(Long id) {
        this.id = id;
    }
{%- endif %}

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    void update(String name, String description) {
        this.name = name;
        this.description = description;
    }
}
