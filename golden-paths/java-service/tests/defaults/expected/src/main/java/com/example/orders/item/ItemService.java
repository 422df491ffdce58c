package com.example.orders.item;

import java.util.List;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The business rules for items; single items are cached in Redis. */
@Service
@Transactional(readOnly = true)
public class ItemService {

    private final ItemRepository repository;

    public ItemService(ItemRepository repository) {
        this.repository = repository;
    }

    public List<Item> list() {
        return repository.findAll();
    }

    @Cacheable(cacheNames = "items", key = "#id")
    public Item get(long id) {
        return repository.findById(id).orElseThrow(() -> new ItemNotFoundException(id));
    }

    @Transactional
    public Item create(ItemRequest request) {
        return repository.save(new Item(request.name(), request.description()));
    }

    @Transactional
    @CachePut(cacheNames = "items", key = "#id")
    public Item update(long id, ItemRequest request) {
        Item item = repository.findById(id).orElseThrow(() -> new ItemNotFoundException(id));
        item.update(request.name(), request.description());
        return repository.save(item);
    }

    @Transactional
    @CacheEvict(cacheNames = "items", key = "#id")
    public void delete(long id) {
        if (!repository.existsById(id)) {
            throw new ItemNotFoundException(id);
        }
        repository.deleteById(id);
    }
}
