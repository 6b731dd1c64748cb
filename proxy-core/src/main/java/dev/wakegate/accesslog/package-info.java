/**
 * The access log: {@link dev.wakegate.accesslog.AccessLog} takes one entry per completed request
 * from the event loops through a bounded queue and one writer thread formats and writes them
 * (nginx's combined format or JSON lines); lines it cannot take are dropped and counted.
 */
@NullMarked
package dev.wakegate.accesslog;

import org.jspecify.annotations.NullMarked;
