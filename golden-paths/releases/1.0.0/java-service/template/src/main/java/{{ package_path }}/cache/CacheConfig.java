package {{ java_package }}.cache;

import java.time.Duration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;

/** Spring Cache backed by Redis; entries expire after {{ cache_ttl_seconds }} seconds. */
@Configuration
@EnableCaching
public class CacheConfig {

    @Bean
    RedisCacheConfiguration cacheConfiguration() {
        return RedisCacheConfiguration.defaultCacheConfig()
                .entryTtl(Duration.ofSeconds({{ cache_ttl_seconds }}))
                .disableCachingNullValues();
    }
}
