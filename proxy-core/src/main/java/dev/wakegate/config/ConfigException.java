package dev.wakegate.config;

/** A config file that cannot be used: names the file, the key and the reason. */
public final class ConfigException extends Exception {
    private final String file;
    private final String key;
    private final String reason;

    public ConfigException(String file, String key, String reason) {
        super(file + ": " + key + ": " + reason);
        this.file = file;
        this.key = key;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }
}
