package {{ java_package }}.item;

import java.util.List;
{%- if cache == "redis" %}
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
{%- endif %}
import org.springframework.stereotype.Service;
{%- if database == "postgresql" %}
import org.springframework.transaction.annotation.Transactional;
{%- endif %}

/** The business rules for items{% if cache == "redis" %}; single items are cached in Redis{% endif %}. */
@Service
{%- if database == "postgresql" %}
@Transactional(readOnly = true)
{%- endif %}
public class ItemService {

    private final ItemRepository repository;

    public ItemService(ItemRepository repository) {
        this.repository = repository;
    }

    public List<Item> list() {
        return repository.findAll();
    }
{% if cache == "redis" %}
    @Cacheable(cacheNames = "items", key = "#id")
{%- endif %}
    public Item get(long id) {
        return repository.findById(id).orElseThrow(() -> new ItemNotFoundException(id));
    }
{% if database == "postgresql" %}
    @Transactional
{%- endif %}
    public Item create(ItemRequest request) {
        return repository.save(new Item(request.name(), request.description()));
    }
{% if database == "postgresql" %}
    @Transactional
{%- endif %}
{%- if cache == "redis" %}
    @CachePut(cacheNames = "items", key = "#id")
{%- endif %}
    public Item update(long id, ItemRequest request) {
        Item item = repository.findById(id).orElseThrow(() -> new ItemNotFoundException(id));
        item.update(request.name(), request.description());
        return repository.save(item);
    }
{% if database == "postgresql" %}
    @Transactional
{%- endif %}
{%- if cache == "redis" %}
    @CacheEvict(cacheNames = "items", key = "#id")
{%- endif %}
    public void delete(long id) {
        if (!repository.existsById(id)) {
            throw new ItemNotFoundException(id);
        }
        repository.deleteById(id);
    }
}
