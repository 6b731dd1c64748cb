package dev.wakegate.state.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A server-side script of the Redis state store: its source and SHA-1, so the store can call it by
 * EVALSHA and fall back to EVAL once when Redis lost its script cache (restart, SCRIPT FLUSH).
 */
record LuaScript(String name, String body, String sha) {

    static LuaScript of(String name, String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
            return new LuaScript(name, body, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
