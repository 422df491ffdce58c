package com.example.orders.cache;

public final class CacheConfig {
    static final int TTL_SECONDS = 300;
}
