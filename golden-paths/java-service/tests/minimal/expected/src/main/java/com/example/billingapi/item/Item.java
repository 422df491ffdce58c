package com.example.billingapi.item;

import java.time.Instant;

/** The example entity: rename it to the first noun of your domain. */
public class Item {

    private Long id;

    private String name;

    private String description;

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

    void setId(Long id) {
        this.id = id;
    }

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
