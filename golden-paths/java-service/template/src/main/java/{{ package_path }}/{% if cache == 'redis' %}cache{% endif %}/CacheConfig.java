package {{ java_package }}.cache;

public final class CacheConfig {
    static final int TTL_SECONDS = {{ cache_ttl_seconds }};
}
