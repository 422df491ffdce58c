package {{ java_package }}.item;
{% if database == "postgresql" %}
import org.springframework.data.jpa.repository.JpaRepository;

/** Items in PostgreSQL; the table is created by db/migration/V1__create_item.sql. */
public interface ItemRepository extends JpaRepository<Item, Long> {
}
{%- else %}
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Repository;

/**
 * Items in memory, per instance and lost on restart: the example store of a service
 * without a database. It has the same methods as a Spring Data repository, so switching
 * to one later changes only this file.
 */
@Repository
public class ItemRepository {

    private final Map<Long, Item> items = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public List<Item> findAll() {
        return items.values().stream().sorted(Comparator.comparing(Item::getId)).toList();
    }

    public Optional<Item> findById(Long id) {
        return Optional.ofNullable(items.get(id));
    }

    public boolean existsById(Long id) {
        return items.containsKey(id);
    }

    public Item save(Item item) {
        if (item.getId() == null) {
            item.setId(ids.incrementAndGet());
        }
        items.put(item.getId(), item);
        return item;
    }

    public void deleteById(Long id) {
        items.remove(id);
    }
}
{%- endif %}
