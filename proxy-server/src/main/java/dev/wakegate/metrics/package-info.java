/** Micrometer metrics in Prometheus text at {@code /health/metrics} (docs/operating.md lists them). */
@NullMarked
package dev.wakegate.metrics;

import org.jspecify.annotations.NullMarked;
