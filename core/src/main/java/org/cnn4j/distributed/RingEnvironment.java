package org.cnn4j.distributed;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a worker process finds its place in a ring: its rank, the rank addresses and the collective timeout, passed
 * by a launcher (cnn train --nproc, a Spark barrier task) through environment variables, like torchrun's RANK and
 * WORLD_SIZE.
 */
public record RingEnvironment(int rank, List<InetSocketAddress> addresses, Duration timeout) {
    public static final String RANK = "CNN4J_RANK";
    public static final String WORLD_SIZE = "CNN4J_WORLD_SIZE";
    public static final String ADDRESSES = "CNN4J_RANK_ADDRESSES";
    public static final String TIMEOUT_SECONDS = "CNN4J_COLLECTIVE_TIMEOUT_S";
    /** Default collective timeout: long enough for a slow epoch-end evaluation on another rank. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public RingEnvironment {
        addresses = List.copyOf(addresses);
        if (rank < 0 || rank >= addresses.size()) {
            throw new IllegalArgumentException("rank " + rank + " outside 0.." + (addresses.size() - 1));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the collective timeout must be positive, got " + timeout);
        }
    }

    public int worldSize() {
        return addresses.size();
    }

    /** The ring described by {@code env}, or empty when it names no rank (a plain single-process run). */
    public static Optional<RingEnvironment> from(Map<String, String> env) {
        String rank = env.get(RANK);
        if (rank == null) {
            return Optional.empty();
        }
        String list = require(env, ADDRESSES);
        List<InetSocketAddress> addresses = TcpRingCollective.parseAddresses(list);
        int r = parseInt(RANK, rank);
        String world = env.get(WORLD_SIZE);
        if (world != null && parseInt(WORLD_SIZE, world) != addresses.size()) {
            throw new IllegalArgumentException(WORLD_SIZE + "=" + world + " but " + ADDRESSES + " lists "
                    + addresses.size() + " addresses");
        }
        String t = env.get(TIMEOUT_SECONDS);
        Duration timeout = t == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(parseInt(TIMEOUT_SECONDS, t));
        return Optional.of(new RingEnvironment(r, addresses, timeout));
    }

    /** The variables a launcher sets for this rank. */
    public Map<String, String> toEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(RANK, Integer.toString(rank));
        env.put(WORLD_SIZE, Integer.toString(worldSize()));
        StringBuilder sb = new StringBuilder();
        for (InetSocketAddress a : addresses) {
            sb.append(sb.length() == 0 ? "" : ",").append(a.getHostString()).append(':').append(a.getPort());
        }
        env.put(ADDRESSES, sb.toString());
        env.put(TIMEOUT_SECONDS, Long.toString(Math.max(1, timeout.toSeconds())));
        return env;
    }

    /** Joins the ring (blocks until every neighbour is connected or the timeout passes). */
    public Collective join() {
        return TcpRingCollective.connect(rank, addresses, timeout);
    }

    private static String require(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set (expected host:port of every rank, comma"
                    + " separated) though " + RANK + " is");
        }
        return v;
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a whole number");
        }
    }
}
