package com.example.orders.db;

public final class Database {
    static final String URL = "jdbc:postgresql://localhost:5432/orders";
}
