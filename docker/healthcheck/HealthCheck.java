import java.net.HttpURLConnection;
import java.net.URI;

/**
 * Docker HEALTHCHECK for images without curl or wget: GETs one URL and exits 0 on a 2xx,
 * 1 otherwise. Uses only java.base so it runs on any JRE, including a jlinked one.
 */
public final class HealthCheck {
    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8000/health/automation";
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(3000);
            int status = c.getResponseCode();
            System.exit(status >= 200 && status < 300 ? 0 : 1);
        } catch (Exception e) {
            System.err.println("health check failed: " + e);
            System.exit(1);
        }
    }
}
