package {{ java_package }}.cache;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;

/**
 * Spring Cache backed by Redis; entries expire after {{ cache_ttl_seconds }} seconds.
 *
 * <p>The cache is optional: when Redis is down, reads and writes go straight to the
 * {% if database == "postgresql" %}database{% else %}store{% endif %} (a logged miss), so an outage costs latency, not availability.
 * For the same reason Redis is not in the readiness group (application.yaml), and its
 * timeouts are short. An eviction that fails leaves an entry stale for at most the TTL.
 *
 * <p>Keys start with the service's name ({@code <name>::items::<id>}), so services can
 * share one Redis without reading each other's entries.
 */
@Configuration
@EnableCaching
public class CacheConfig implements CachingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(CacheConfig.class);

    @Bean
    RedisCacheConfiguration cacheConfiguration(@Value("${spring.application.name}") String service) {
        return RedisCacheConfiguration.defaultCacheConfig()
                .prefixCacheNameWith(service + "::")
                .entryTtl(Duration.ofSeconds({{ cache_ttl_seconds }}))
                .disableCachingNullValues();
    }

    @Override
    public CacheErrorHandler errorHandler() {
        return new CacheErrorHandler() {
            @Override
            public void handleCacheGetError(RuntimeException e, Cache cache, Object key) {
                log.warn("cache {} unavailable on get {}: {}", cache.getName(), key, e.getMessage());
            }

            @Override
            public void handleCachePutError(RuntimeException e, Cache cache, Object key, Object value) {
                log.warn("cache {} unavailable on put {}: {}", cache.getName(), key, e.getMessage());
            }

            @Override
            public void handleCacheEvictError(RuntimeException e, Cache cache, Object key) {
                log.warn("cache {} unavailable on evict {}: {}", cache.getName(), key, e.getMessage());
            }

            @Override
            public void handleCacheClearError(RuntimeException e, Cache cache) {
                log.warn("cache {} unavailable on clear: {}", cache.getName(), e.getMessage());
            }
        };
    }
}
