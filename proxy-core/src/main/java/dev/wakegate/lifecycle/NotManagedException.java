package dev.wakegate.lifecycle;

/** An admin operation named a container that wakegate does not manage (the admin endpoint's 404). */
public final class NotManagedException extends RuntimeException {
    private final String container;

    public NotManagedException(String container) {
        super("'" + container + "' is not a managed container", null, false, false);
        this.container = container;
    }

    public String container() {
        return container;
    }
}
