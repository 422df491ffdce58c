package com.example.orders.item;

import org.springframework.data.jpa.repository.JpaRepository;

/** Items in PostgreSQL; the table is created by db/migration/V1__create_item.sql. */
public interface ItemRepository extends JpaRepository<Item, Long> {
}
