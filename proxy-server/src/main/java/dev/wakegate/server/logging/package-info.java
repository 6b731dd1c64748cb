/** Logback set up in code: text lines or one JSON object per line ({@code WAKEGATE_LOG_JSON}). */
@NullMarked
package dev.wakegate.server.logging;

import org.jspecify.annotations.NullMarked;
