package com.example.billingapi.item;

import java.util.List;
import org.springframework.stereotype.Service;

/** The business rules for items. */
@Service
public class ItemService {

    private final ItemRepository repository;

    public ItemService(ItemRepository repository) {
        this.repository = repository;
    }

    public List<Item> list() {
        return repository.findAll();
    }

    public Item get(long id) {
        return repository.findById(id).orElseThrow(() -> new ItemNotFoundException(id));
    }

    public Item create(ItemRequest request) {
        return repository.save(new Item(request.name(), request.description()));
    }

    public Item update(long id, ItemRequest request) {
        Item item = repository.findById(id).orElseThrow(() -> new ItemNotFoundException(id));
        item.update(request.name(), request.description());
        return repository.save(item);
    }

    public void delete(long id) {
        if (!repository.existsById(id)) {
            throw new ItemNotFoundException(id);
        }
        repository.deleteById(id);
    }
}
