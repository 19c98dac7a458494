package io.claimshub.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A connection factory that counts the connections taken from it. Each template operation outside a pipeline
 * or transaction takes one connection for one command or script, so the count is the number of round trips.
 */
public final class CountingConnectionFactory {

    private final AtomicInteger connections = new AtomicInteger();
    private final RedisConnectionFactory factory;

    public CountingConnectionFactory(RedisConnectionFactory delegate) {
        factory = (RedisConnectionFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RedisConnectionFactory.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public RedisConnectionFactory factory() {
        return factory;
    }

    public int takeCount() {
        return connections.getAndSet(0);
    }
}
